"""Typed errors whose text tells a person what to fix.

Every failure of a Xero call ends up as one of these, built in one place
(``from_api_exception`` / ``from_transport_error``), so callers never parse SDK exceptions
or HTTP bodies themselves. ``str(error)`` is meant for the user (chatter, sync log,
settings page); ``status`` and ``correlation_id`` are for support.
"""


class XeroError(Exception):
    """Base class. ``retryable`` says whether the same request may succeed later."""

    retryable = False

    def __init__(self, message, status=None, correlation_id=None, body=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.correlation_id = correlation_id
        self.body = body

    def __str__(self):
        return self.message


class AuthenticationError(XeroError):
    """The connection's credentials or grant were refused: an admin must reconnect.

    ``code`` carries the OAuth2 error (``invalid_grant``, ``invalid_client`` ...) when known.
    """

    def __init__(self, message, code=None, **kw):
        super().__init__(message, **kw)
        self.code = code


class ForbiddenError(XeroError):
    """The token is valid but not for this organisation or scope."""


class ValidationError(XeroError):
    """Xero refused the content. ``record_errors`` maps a record reference to its messages."""

    def __init__(self, message, record_errors=None, **kw):
        super().__init__(message, **kw)
        self.record_errors = record_errors or {}


class NotFoundError(XeroError):
    pass


class RateLimitError(XeroError):
    """HTTP 429. ``problem`` is Xero's X-Rate-Limit-Problem: minute, day, appminute or concurrent."""

    retryable = True

    def __init__(self, message, retry_after=60.0, problem=None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after
        self.problem = problem


class QuotaExhausted(XeroError):
    """Our own limiter refused to spend the call (daily limit or the interactive reserve)."""

    def __init__(self, message, retry_after=None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(XeroError):
    """Xero answered 5xx: worth retrying later."""

    retryable = True


class TransportError(XeroError):
    """No answer at all: timeout, refused or dropped connection.

    The request may or may not have been processed; retrying is safe only because every
    write carries an Idempotency-Key.
    """

    retryable = True


# -- what a sync does about a failure ---------------------------------------------------------
QUOTA, AUTH, TRANSIENT, REFUSED = "quota", "auth", "transient", "refused"


def category(error):
    """How a sync treats a failed call, the same for every kind of record:

    ``quota``: our own limiter refused to spend the call: wait until the quota allows;
    ``auth``: Xero refused the connection itself (401/403): nothing moves until an
    administrator reconnects; ``transient``: Xero did not answer or was busy after the
    client's own retries: try again later; ``refused``: Xero refused the request (the content,
    a record it does not have...): it waits for a fix."""
    if isinstance(error, QuotaExhausted):
        return QUOTA
    if isinstance(error, (AuthenticationError, ForbiddenError)):
        return AUTH
    if error.retryable:  # Xero down, busy, or no answer
        return TRANSIENT
    return REFUSED  # a refused request, a record not found...: trying again cannot help
