"""xero-python set up the way this connector needs it.

Three traps of the SDK are defused here, once (see the project's notes on xero-python):
- its urllib3 pool retries silently (3 times, sleeping on Retry-After, re-sending PUTs):
  we install a pool with ``retries=False`` so ``retry.py`` alone decides;
- its token URLs are hard-coded to identity.xero.com: ``_ApiClient.request`` rewrites
  them to the configured identity host;
- it refreshes tokens by itself, without any lock: we hand it an access token that never
  looks expired, and renew tokens ourselves (``tokens.py`` and the Odoo connection).
"""
import certifi
import urllib3
from xero_python.api_client import ApiClient
from xero_python.api_client.configuration import Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi

_SDK_IDENTITY_URL = "https://identity.xero.com"


class _ApiClient(ApiClient):
    def __init__(self, configuration, identity_url, **kw):
        super().__init__(configuration, **kw)
        self._identity_url = identity_url
        self.user_agent = "xero_connector (Odoo 18) " + self.user_agent
        self.rest_client.pool_manager = urllib3.PoolManager(
            num_pools=4, maxsize=5, retries=False,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())

    def request(self, method, url, *args, **kw):
        if url.startswith(_SDK_IDENTITY_URL) and self._identity_url != _SDK_IDENTITY_URL:
            url = self._identity_url + url[len(_SDK_IDENTITY_URL):]
        return super().request(method, url, *args, **kw)


def api_client(endpoints, access_token=None):
    """An SDK ApiClient; ``access_token()`` is asked for the bearer token before each request."""
    configuration = Configuration()  # the SDK's metaclass ignores constructor arguments
    configuration.oauth2_token = OAuth2Token()
    configuration.debug = False  # debug prints Authorization headers: never

    def getter():
        token = access_token() if access_token else None
        # expires_at=None: the SDK considers it valid and never tries its own refresh.
        return {"access_token": token, "scope": [], "expires_in": None,
                "token_type": "Bearer", "expires_at": None}

    return _ApiClient(configuration, endpoints.identity_url, oauth2_token_getter=getter,
                      oauth2_token_saver=lambda token: None)


def token_api(endpoints, client_id, client_secret):
    return TokenApi(api_client(endpoints), client_id, client_secret)
