"""Quotes: PUT (create), POST (update or create), POST /Quotes/{QuoteID} (update), GET (list, by
QuoteID or QuoteNumber).

Writing: ``documents.py``, with what sets quotes apart (``docrules.QUOTE``): LineAmountTypes
spelled EXCLUSIVE|INCLUSIVE|NOTAX, no ``unitdp`` (unit amounts keep 4 decimals), statuses DRAFT,
SENT, DECLINED, ACCEPTED, INVOICED, DELETED (DRAFT -> DECLINED and ACCEPTED -> DECLINED refused),
numbers QU-0001..., no lock date, and a POST that re-prices as EXCLUSIVE and clears the text
fields it leaves out (reported: xero-mcp-server#309).

Reading, after the spec (GET /Quotes, A:14255): ``page`` answers 100 quotes (the endpoint has
no pageSize and its answer no ``pagination``); filters If-Modified-Since, ``order``,
``ContactID``, ``Status``, ``QuoteNumber``, ``DateFrom``/``DateTo`` and
``ExpiryDateFrom``/``ExpiryDateTo`` (YYYY-MM-DD, inclusive).
"""
import datetime

from . import docrules, listing, writes
from .accounting import ApiResponse
from .documents import Documents, day_of

READ_SCOPES = ("accounting.transactions", "accounting.transactions.read")
WRITE_SCOPES = ("accounting.transactions",)
READ_ONLY = {"QuoteID", "UpdatedDateUTC", "SubTotal", "TotalTax", "Total", "TotalDiscount", "DateString",
             "ExpiryDateString", "ValidationErrors", "StatusAttributeString"}
PAGE_SIZE = 100

QUOTES = Documents(docrules.QUOTE, "quotes", READ_ONLY)


def _day_param(ctx, name):
    value = ctx.q(name)
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _between(field, start, end):
    if start is None and end is None:
        return None

    def test(record):
        day = day_of(record, field)
        return day is not None and (start is None or day >= start) and (end is None or day <= end)
    return test


def list_quotes(ctx):
    store = ctx.tenant.quotes
    since = listing.modified_since(ctx)
    order = ctx.q("order")
    contact = (ctx.q("ContactID") or "").lower()
    status = (ctx.q("Status") or "").upper()
    number = (ctx.q("QuoteNumber") or "").strip().lower()
    dates = tuple(_day_param(ctx, n) for n in ("DateFrom", "DateTo", "ExpiryDateFrom", "ExpiryDateTo"))
    tests = [
        (lambda r: (r.get("Contact") or {}).get("ContactID", "").lower() == contact) if contact else None,
        (lambda r: r.get("Status") == status) if status else None,
        (lambda r: (r.get("QuoteNumber") or "").strip().lower() == number) if number else None,
        _between("Date", dates[0], dates[1]),
        _between("ExpiryDate", dates[2], dates[3]),
    ]
    records = store.view(("list", since, order, contact, status, number) + dates,
                         lambda recs, stamps: listing.select(recs, stamps, tests, since, order))
    records, _ = listing.paged(ctx, records, PAGE_SIZE, sized=False)
    return ApiResponse(200, ctx.envelope("Quotes", records))


def get_quote(ctx):
    store = ctx.tenant.quotes
    return listing.one(ctx, "Quotes", store, listing.find(store, ctx.params["QuoteID"], store.by_number))


def register(router):
    router.add("GET", "/Quotes", list_quotes, READ_SCOPES)
    router.add("GET", "/Quotes/{QuoteID}", get_quote, READ_SCOPES)
    writes.register(router, "/Quotes", QUOTES, WRITE_SCOPES)
