"""Currencies (read-only here): GET /Currencies (where, order; listed by Code). The spec has no
GET of one currency: a client filters, ``where=Code=="USD"``. The currencies a new
organisation starts with: ``settings.py``."""
from . import listing

READ_SCOPES = ("accounting.settings", "accounting.settings.read")


def get_currencies(ctx):
    return listing.listed(ctx, "Currencies", ctx.tenant.currencies)


def register(router):
    router.add("GET", "/Currencies", get_currencies, READ_SCOPES)
