"""What a run does when Xero or PostgreSQL stops it: one policy for every object and direction.

``quota``     our limiter will not spend the call: nothing is marked, the run resumes when the
              quota allows (``retry_at``);
``auth``      Xero refused the connection itself: nothing is marked either (the records are
              fine), the connection's administrators get a to-do and the sync log a row, and
              nothing runs again until the next scheduled run;
``transient`` Xero did not answer, or was busy, after the client's own retries: the records the
              run held are tried again later by themselves, waiting longer each time;
``refused``   a whole request refused: the records wait for a fix, with Xero's reason.
A collision with a concurrent transaction (``COLLISIONS``) is never any record's error: it is
raised; nothing of the run's transaction is kept (a pull keeps its pages committed before), and
the next scheduled run does it again. What Xero saved meanwhile is not written twice: the same
versions go again under the same Idempotency-Key, and Xero answers as the first time.
"""
import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import fields

from ...xero import errors
from . import messages

_logger = logging.getLogger(__name__)

COLLISIONS = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)
QUOTA_WAIT = 3600  # seconds, when the limiter cannot say when the quota allows again
XERO_DOWN_WAIT = timedelta(minutes=5)  # a read that failed: the next attempt of the run


class Outcome:
    """How a run ended: ``retry_at`` (when it can go on), ``stopped`` (this connection can do
    nothing more now: later objects would fail alike)."""

    def __init__(self, retry_at=None, stopped=False):
        self.retry_at = retry_at
        self.stopped = stopped


def handle(sync, error, links=None, operation="sync"):
    """Apply the policy to ``error`` that stopped ``sync``; ``links``: the records it held."""
    category = errors.category(error)
    connection = sync.connection
    if category == errors.QUOTA:
        _logger.info("Xero %s: quota of connection %s spent: %s", sync.name, connection.id, error)
        return Outcome(fields.Datetime.now() + timedelta(seconds=error.retry_after or QUOTA_WAIT), stopped=True)
    if category == errors.AUTH:
        _logger.warning("Xero %s: connection %s refused: %s", sync.name, connection.id, error)
        message = messages.connection_refused(sync.env, connection.display_name, error)
        sync.log_connection(operation, message)
        connection._xero_notify_admins(sync.env._("Xero refused the sync"), message)
        return Outcome(stopped=True)
    _logger.warning("Xero %s: %s stopped on connection %s: %s", sync.name, operation, connection.id, error)
    if category == errors.REFUSED and links:
        for link in links:
            link.mark_error(sync.refusal_message(link._record(), [str(error)]))
            sync.log_row(link, operation, "error", link.error)
        return Outcome()
    # Xero down or busy: whatever this connection tries next would fail alike.
    if not links:
        return Outcome(fields.Datetime.now() + XERO_DOWN_WAIT, stopped=True)
    links.mark_retry(str(error))
    retries = [t for t in links.mapped("next_retry") if t]
    return Outcome(min(retries) if retries else None, stopped=True)
