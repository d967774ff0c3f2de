"""Pure suite: make ``import xero_sandbox`` (and the ``xero`` client beside it) work without
importing the addon, whose root __init__ needs Odoo; and the fixtures every test of the fake
uses: a ``clock`` it can move, a running fake ``fx`` with one NZ organisation ``fx.tid``
that the app ``cid`` reaches, and ``sdk``, xero-python holding a token for it (``token``: the
bare access token, for raw requests); ``orgs``, one more organisation per edition, and
``reader``, xero-python reaching them all; ``bob``, a customer with an email address (the
ContactID), for sales documents (``sales.py``)."""
import pathlib
import sys

import pytest

ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from sales import customer  # noqa: E402
from sandbox_client import Sdk, SpecCheck, SteppedClock  # noqa: E402
from xero_sandbox import FakeXero  # noqa: E402


@pytest.fixture
def clock():
    return SteppedClock()


@pytest.fixture
def fx(clock):
    fake = FakeXero(clock=clock)
    fake.start()
    fake.tid = fake.add_tenant("Demo Company (NZ)", base_currency="NZD", short_code="!abc")
    fake.add_app("cid", "csecret", tenants=[fake.tid], custom=True)
    yield fake
    fake.stop()


@pytest.fixture
def sdk(fx):
    s = Sdk(fx)
    s.client_credentials()
    return s


@pytest.fixture
def token(sdk):
    return sdk.store["token"]["access_token"]


@pytest.fixture
def bob(fx):
    return customer(fx)


# Base currency -> the edition (Organisation.Version) an organisation created with it has.
EDITION_OF = {"AUD": "AU", "EUR": "GLOBAL", "GBP": "UK", "NZD": "NZ", "USD": "US"}


@pytest.fixture
def orgs(fx):
    """One organisation per edition, reachable by the app ``all``: currency -> tenant ID."""
    tenants = {currency: fx.add_tenant(f"Org {currency}", base_currency=currency) for currency in EDITION_OF}
    fx.add_app("all", "secret", tenants=list(tenants.values()), custom=True)
    return tenants


@pytest.fixture
def reader(fx, orgs):
    """xero-python's AccountingApi with a token of the app ``all``."""
    s = Sdk(fx, "all", "secret")
    s.client_credentials()
    return s.accounting


@pytest.fixture
def on_spec(fx):
    """The test's requests must match Xero's OpenAPI description (``SpecCheck``)."""
    check = SpecCheck(fx)
    yield check
    check.verify()
