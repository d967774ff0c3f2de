"""A fake Xero for tests, benchmarks and demos: Accounting API (Organisation, Contacts),
identity (client_credentials, authorization_code with PKCE, rotating refresh tokens,
connections), rate limits, idempotency keys and fault injection, served over real HTTP.

    from xero.sandbox import FakeXero
    fx = FakeXero()
    base = fx.start()
    tid = fx.add_tenant("Demo Company (NZ)")
    fx.add_app("id", "secret", tenants=[tid], custom=True)

Pure Python, no Odoo import. ``spec.py`` validates recorded requests against Xero's OpenAPI
description when ``../shared/xero-openapi`` (or ``$XERO_OPENAPI_DIR``) is present.
"""
from .fake import FakeXero

__all__ = ["FakeXero"]
