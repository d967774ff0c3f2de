"""Token endpoint calls (client credentials, refresh, revocation) and an in-memory token source.

Token requests are never retried automatically: a refresh token is single use, so a
refresh whose answer was lost cannot be replayed blindly; the caller decides what to do
with the error (the Odoo connection marks itself expired or in error).
"""
import json
import threading

import urllib3
from xero_python.exceptions import ApiException

from . import sdk
from .clock import REAL_CLOCK
from .errors import AuthenticationError, ServerError, TransportError

# Renew this long before Xero would refuse the token (clock seconds).
RENEW_MARGIN = 120


class TokenClient:
    def __init__(self, endpoints, client_id, client_secret, clock=REAL_CLOCK):
        self.endpoints = endpoints
        self.client_id = client_id
        self.clock = clock
        self._api = sdk.token_api(endpoints, client_id, client_secret)

    def client_credentials(self):
        """A custom connection's token: no refresh token, fetch a new one when it expires."""
        return self._call(lambda: self._api.get_client_credentials_token(False))

    def refresh(self, refresh_token, scope=()):
        return self._call(lambda: self._api.refresh_token(refresh_token, list(scope or [])))

    def revoke(self, refresh_token):
        self._call(lambda: self._api.revoke_token(refresh_token), parse=False)

    def _call(self, fn, parse=True):
        started = self.clock.now()
        try:
            token = fn()
        except ApiException as exc:
            raise token_error(exc) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransportError("Xero's sign-in service could not be reached.", body=type(exc).__name__) from None
        return normalise(token, started) if parse else None


def normalise(token, issued_at):
    """Keep what we store of a token answer; compute expires_at ourselves (the SDK doesn't)."""
    scope = token.get("scope") or []
    if isinstance(scope, str):
        scope = scope.split()
    return {
        "access_token": token["access_token"],
        "refresh_token": token.get("refresh_token"),
        "expires_at": issued_at + float(token.get("expires_in") or 1800),
        "scope": list(scope),
    }


def token_error(exc):
    """Turn a refused token request into a sentence for the administrator."""
    status = getattr(exc, "status", None)
    try:
        code = json.loads(exc.body or b"{}").get("error")
    except (ValueError, TypeError, AttributeError):
        code = None
    if status and 400 <= status < 500:
        reasons = {
            "invalid_client": "Xero refused the client id or secret: check them in Settings → Xero.",
            "invalid_grant": "Xero no longer accepts this connection's authorisation "
                             "(it was revoked, or expired after 60 days unused): reconnect to Xero.",
            "unauthorized_client": "This Xero app may not use this kind of connection: "
                                   "check the app's type in Xero's developer portal.",
            "invalid_scope": "Xero refused the requested permissions (scopes).",
        }
        message = reasons.get(code) or "Xero refused the token request (HTTP %s%s)." % (
            status, ", %s" % code if code else "")
        return AuthenticationError(message, code=code, status=status)
    return ServerError("Xero's identity service failed (HTTP %s)." % status, status=status)


class ClientCredentialsSource:
    """Keeps a custom connection's access token in memory (pure tests, bench, demo).

    The Odoo side keeps tokens encrypted in the database instead, under a row lock.
    """

    def __init__(self, token_client):
        self.token_client = token_client
        self._lock = threading.Lock()
        self._token = None

    def __call__(self, stale=None):
        with self._lock:
            now = self.token_client.clock.now()
            if (self._token is None or self._token["access_token"] == stale
                    or self._token["expires_at"] - RENEW_MARGIN <= now):
                self._token = self.token_client.client_credentials()
            return self._token["access_token"]
