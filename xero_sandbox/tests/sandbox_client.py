"""How the fake's tests talk to it: xero-python pointed at it (``Sdk``), raw HTTP (``api``),
a clock they can move (``SteppedClock``), and the OpenAPI check of what they sent
(``SpecCheck``). The fixtures built on them are in conftest.py.

Time-dependent behaviour (token expiry, code expiry, rate windows, If-Modified-Since) runs
on a ``SteppedClock``: real time plus a manual offset, so tests jump minutes or days
instantly while the fake and the test agree on "now".
"""
import contextlib
import json

import requests
import urllib3
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.identity import IdentityApi

from xero.clock import Clock
from xero_sandbox import spec

SDK_IDENTITY = "https://identity.xero.com"


class SteppedClock(Clock):
    def __init__(self, scale=1.0):
        super().__init__(scale)
        self.offset = 0.0

    def now(self):
        return super().now() + self.offset

    def advance(self, seconds):
        self.offset += seconds


class LocalApiClient(ApiClient):
    """xero-python with its hard-coded identity host pointed at the fake."""

    def __init__(self, base, *a, **kw):
        super().__init__(*a, **kw)
        self._base = base
        self.rest_client.pool_manager = urllib3.PoolManager(retries=False)

    def request(self, method, url, *a, **kw):
        if url.startswith(SDK_IDENTITY):
            url = self._base + url[len(SDK_IDENTITY):]
        return super().request(method, url, *a, **kw)


class Sdk:
    def __init__(self, fx, client_id="cid", client_secret="csecret", token=None):
        self.store = {"token": token}
        configuration = Configuration()     # a copy of the first one: set fields afterwards
        configuration.oauth2_token = OAuth2Token(client_id=client_id, client_secret=client_secret)
        configuration.debug = False
        self.client = LocalApiClient(
            fx.url, configuration,
            oauth2_token_getter=lambda: self.store["token"],
            oauth2_token_saver=lambda t: self.store.__setitem__("token", t))
        self.accounting = AccountingApi(self.client, base_url=fx.api_url)
        self.identity = IdentityApi(self.client, base_url=fx.url)
        self.tokens = TokenApi(self.client, client_id, client_secret)

    def client_credentials(self):
        self.client.get_client_credentials_token()
        return self.store["token"]


def token_for(fx, client_id="cid", secret="csecret"):
    r = requests.post(fx.token_url, data={"grant_type": "client_credentials",
                                          "client_id": client_id, "client_secret": secret})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def api(fx, method, path, token, tenant, body=None, headers=None, params=None):
    h = {"Authorization": "Bearer %s" % token, "xero-tenant-id": tenant,
         "Accept": "application/json"}
    h.update(headers or {})
    return requests.request(method, fx.api_url + path, headers=h, params=params,
                            data=json.dumps(body) if body is not None else None)



class SpecCheck:
    """Every request a test sends must match Xero's OpenAPI description, and every 2xx answer
    its schema: ``verify()`` checks them all (nothing when the spec files are absent).
    Requests sent against the spec on purpose go inside ``with check.off():``; they must then
    break it, so the exception stays needed."""

    def __init__(self, fx):
        self.fx = fx
        self._off = set()

    @contextlib.contextmanager
    def off(self):
        before = len(self.fx.requests)
        yield
        self._off.update(id(rec) for rec in self.fx.requests[before:])

    def verify(self):
        if not spec.spec_available():
            return 0
        checked = 0
        for rec in self.fx.requests:
            if id(rec) in self._off:
                try:
                    spec.validate_request(rec)
                except spec.SpecViolation:
                    continue
                raise AssertionError("%r matches the spec: it needs no exception" % rec)
            if spec.validate_request(rec):
                checked += 1
                if rec.status is not None and 200 <= rec.status < 300:
                    spec.validate_response(rec)
        return checked
