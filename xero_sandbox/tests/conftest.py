"""Pure suite: make ``import xero_sandbox`` (and the ``xero`` client beside it) work without
importing the addon, whose root __init__ needs Odoo; and the fixtures every test of the fake
uses: a ``clock`` it can move, a running fake ``fx`` with one NZ organisation ``fx.tid``
that the app ``cid`` reaches, and ``sdk``, xero-python holding a token for it."""
import pathlib
import sys

import pytest

ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

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
def on_spec(fx):
    """The test's requests must match Xero's OpenAPI description (``SpecCheck``)."""
    check = SpecCheck(fx)
    yield check
    check.verify()
