"""Accounts (read-only here): GET /Accounts (where, order, If-Modified-Since; listed by Code)
and GET /Accounts/{AccountID}. The chart a new organisation starts with: ``chart.py``."""
from . import listing

READ_SCOPES = ("accounting.settings", "accounting.settings.read")


def register(router):
    listing.register_reads(router, "/Accounts", "Accounts", lambda tenant: tenant.accounts, READ_SCOPES)
