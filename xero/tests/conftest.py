"""Pure suite: make ``import xero`` work without importing the addon (whose __init__ needs Odoo);
and the fixtures of the tests against the fake: ``clock`` (a Xero minute lasts 1.2 s) and
``fake``, a running fake Xero with one NZ organisation (``fake.tenant_id``) the app ``cid``
reaches (a client for it: ``connection.make_client``)."""
import pathlib
import sys

import pytest

ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from connection import SCALE  # noqa: E402
from xero.clock import Clock  # noqa: E402
from xero_sandbox import FakeXero  # noqa: E402


@pytest.fixture
def clock():
    return Clock(SCALE)


@pytest.fixture
def fake(clock):
    fx = FakeXero(clock=clock)
    fx.start()
    fx.tenant_id = fx.add_tenant("Demo Company (NZ)")
    fx.add_app("cid", "secret", tenants=[fx.tenant_id], custom=True)
    yield fx
    fx.stop()
