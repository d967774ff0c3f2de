"""The standard OAuth2 app flow's first leg: Xero's consent page and the code exchange.

xero-python has no authorisation-code support, so this part uses Authlib (PKCE S256).
Renewals afterwards go through ``tokens.TokenClient.refresh`` like every other token call.
"""
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from .clock import REAL_CLOCK
from .errors import AuthenticationError, TransportError
from .tokens import normalise

# What the connector needs: contacts, invoices/quotes/items/payments, settings (taxes,
# accounts), and offline_access for a refresh token.
SCOPES = ("openid", "profile", "email", "offline_access", "accounting.transactions",
          "accounting.contacts", "accounting.settings", "accounting.reports.read")


def new_code_verifier():
    return generate_token(64)


def authorization_url(endpoints, client_id, redirect_uri, state, code_verifier, scopes=SCOPES):
    session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=" ".join(scopes),
                            code_challenge_method="S256")
    url, _state = session.create_authorization_url(endpoints.authorize, state=state,
                                                   code_verifier=code_verifier)
    return url


def exchange_code(endpoints, client_id, client_secret, redirect_uri, code, code_verifier,
                  clock=REAL_CLOCK, timeout=30):
    """Trade the consent's code for a token pair; raises AuthenticationError if refused."""
    session = OAuth2Session(client_id, client_secret, redirect_uri=redirect_uri,
                            token_endpoint_auth_method="client_secret_post")
    issued_at = clock.now()
    try:
        token = session.fetch_token(endpoints.token, grant_type="authorization_code", code=code,
                                    code_verifier=code_verifier, timeout=timeout)
    except OAuthError as exc:
        raise AuthenticationError("Xero refused the authorisation code (%s): start the connection "
                                  "again." % (exc.error or "error"), code=exc.error) from None
    except OSError as exc:
        raise TransportError("Xero's sign-in service could not be reached.", body=type(exc).__name__) from None
    finally:
        session.close()
    return normalise(dict(token), issued_at)
