"""Xero → Odoo, near real time: the records Xero's webhook events named, read by id.

A delivery is only stored (``xero.webhook.event``, see ``controllers/webhook.py``): Xero wants
its answer within 5 seconds, and a read of Xero inside the request could take longer. A
scheduled action, triggered by each delivery, then reads the records named, per category of
event, through the engine's ``pull_ids`` of every object that keeps them (an invoice is an
order's and the receivables'): each record once per run whatever the number of events naming
it, 50 a read. Events that arrived while a record was being read stay pending, and it is read
again in the next run: the change they announce may be newer than what was read.
"""
from ...tools import side_cursor
from ...xero.webhooks import CATEGORIES
from . import pull, registry

RECORDS_PER_RUN = 1000  # records of one category read per connection and run (20 reads)


def objects(connection, category):
    """The syncs of the objects that keep the records of ``category`` (not paused)."""
    syncs = [sync_type(connection) for sync_type in registry.ordered() if sync_type.webhook_category == category]
    return [sync for sync in syncs if not sync.state.paused]


class Progress:
    """One run for one connection: ``done`` events read (or dropped), ``left`` still pending,
    ``retry_at`` when Xero or the quota lets the read go on, ``stopped`` nothing more can be done
    for this connection before its next scheduled run (Xero refused the connection itself)."""

    def __init__(self):
        self.done, self.left, self.retry_at, self.stopped = 0, 0, None, False


def process(connection):
    """Read what the connection's pending events named, a bounded batch per category."""
    env = connection.env
    cr = env.cr
    progress = Progress()
    env["xero.webhook.event"].flush_model()
    cr.execute("SELECT max(id) FROM xero_webhook_event WHERE connection_id = %s AND state = 'new'", (connection.id,))
    last = cr.fetchone()[0]
    for category in CATEGORIES if last else ():
        # The oldest first; events after ``last`` (arriving meanwhile) wait for the next run.
        cr.execute("""SELECT resource_id FROM xero_webhook_event
                       WHERE connection_id = %s AND state = 'new' AND category = %s AND id <= %s
                       GROUP BY resource_id ORDER BY min(id) LIMIT %s""",
                   (connection.id, category, last, RECORDS_PER_RUN))
        xero_ids = [row[0] for row in cr.fetchall()]
        if not xero_ids:
            continue
        syncs = objects(connection, category)
        if syncs:  # (all paused: their pull reads the changes from the watermark when resumed)
            result = pull.pull_ids(syncs[0], xero_ids, also=syncs[1:])
            if result.stopped and not result.refused:
                # Out of reach, busy, quota spent, the connection refused: nothing was read, the
                # events wait (a refusal of the read itself would be refused again: they go, the
                # sync log says why, and the scheduled reads bring the changes).
                progress.retry_at, progress.stopped = result.retry_at, not result.retry_at
                break
        cr.execute("""UPDATE xero_webhook_event SET state = 'done', done_at = now() at time zone 'UTC'
                       WHERE connection_id = %s AND state = 'new' AND category = %s AND id <= %s
                         AND resource_id IN %s""", (connection.id, category, last, tuple(xero_ids)))
        progress.done += cr.rowcount
        side_cursor.commit(env)  # these events are handled, whatever happens to the next category
    cr.execute("SELECT count(*) FROM xero_webhook_event WHERE connection_id = %s AND state = 'new'", (connection.id,))
    progress.left = cr.fetchone()[0]
    return progress
