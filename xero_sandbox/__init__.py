"""A fake Xero for tests, benchmarks and demos: Accounting API (Organisation, Contacts, Items,
Accounts, TaxRates, Currencies, TrackingCategories, BrandingThemes, Invoices, Quotes, Payments,
CreditNotes), identity
(client_credentials, authorization_code with PKCE, rotating refresh tokens, connections), rate
limits, idempotency keys and fault injection, served over real HTTP.

    from xero_sandbox import FakeXero
    fx = FakeXero()
    base = fx.start()
    tid = fx.add_tenant("Demo Company (NZ)")
    fx.add_app("id", "secret", tenants=[tid], custom=True)

Pure Python, no Odoo import; of the client package beside it (``xero``) it uses the
``Clock`` only (``clock.py``). It imports as ``xero_sandbox`` with the repo root on
``sys.path`` (pure tests, ``bench/``, ``python -m xero_sandbox``) and as
``odoo.addons.xero_connector.xero_sandbox`` inside Odoo. ``spec.py`` validates recorded
requests against Xero's OpenAPI description when ``../shared/xero-openapi`` (or
``$XERO_OPENAPI_DIR``) is present.
"""
from .fake import FakeXero

__all__ = ["FakeXero"]
