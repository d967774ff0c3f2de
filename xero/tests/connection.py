"""How the client's tests reach the fake Xero: a client with its own quota and retries, on the
test's clock (the ``clock`` and ``fake`` fixtures: conftest.py)."""
from xero.client import XeroClient
from xero.endpoints import Endpoints
from xero.quota import Limiter, Limits, MemoryStore
from xero.retry import RetryPolicy
from xero.tokens import ClientCredentialsSource, TokenClient

SCALE = 50.0  # a Xero minute lasts 1.2 s


def make_client(fake, clock, **kw):
    endpoints = Endpoints(fake.url, fake.url, fake.url)
    source = ClientCredentialsSource(TokenClient(endpoints, "cid", "secret", clock=clock))
    kw.setdefault("limiter", Limiter(MemoryStore(), Limits(), clock))
    kw.setdefault("retry", RetryPolicy(attempts=4, initial=1.0, maximum=8.0))
    return XeroClient(endpoints, fake.tenant_id, source, clock=clock, **kw)
