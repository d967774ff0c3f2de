"""Invoices: PUT (create), POST (update or create), POST /Invoices/{InvoiceID} (update), GET (list,
by InvoiceID or InvoiceNumber), POST /Invoices/{InvoiceID}/Email, GET .../OnlineInvoice.

Writing: ``documents.py`` (rules: ``docrules.py``, ``lines.py``; totals: ``money.py``; what is
owed: ``balances.py``). Sales invoices (ACCREC) follow every rule; bills (ACCPAY) are stored the
same way, their numbers neither assigned nor unique, their lines on the purchases side.

Reading, after the spec (GET /Invoices, A:7335) and Xero's docs:

- ``page`` answers 100 invoices (``pageSize`` up to 1000) with their lines and ``pagination``;
  without ``page``, every matching invoice comes, but without LineItems, as Xero's docs say;
- filters: If-Modified-Since, ``where``, ``order``, ``IDs``, ``InvoiceNumbers``, ``ContactIDs``,
  ``Statuses`` (comma-separated), ``searchTerm`` (InvoiceNumber and Reference, any case);
  ``summaryOnly=true`` leaves out lines, payments and credit notes;
- unit amounts at 2 decimals unless ``unitdp=4`` (stored at 4 when written with it);
- GET /Invoices/{InvoiceID} also takes the InvoiceNumber, as Xero does.

Email answers 204 and counts the e-mails per invoice (``Tenant.emails``, for tests: "e-mailed
once"); Xero sends only a sales invoice of status SUBMITTED, AUTHORISED or PAID (its docs), and
the fake also wants an email address on the contact [fake: Xero's wording is not published].
The first e-mail marks the invoice SentToContact. OnlineInvoice answers a stable
``https://in.xero.com/...`` address, refused for drafts (reported by Breadwinner) and bills.
"""
import base64
import hashlib

from . import docrules, lines, listing, shapes, writes
from .accounting import ApiError, ApiResponse, not_found
from .documents import Documents
from .items import unit_places

READ_SCOPES = ("accounting.transactions", "accounting.transactions.read")
WRITE_SCOPES = ("accounting.transactions",)
READ_ONLY = {
    "InvoiceID", "UpdatedDateUTC", "UpdatedDateUTCString", "Payments", "Prepayments", "Overpayments",
    "CreditNotes", "AmountDue", "AmountPaid", "AmountCredited", "FullyPaidOnDate", "SubTotal", "TotalTax",
    "Total", "TotalDiscount", "IsDiscounted", "HasAttachments", "HasErrors", "CISDeduction", "CISRate",
    "ValidationErrors", "Warnings", "StatusAttributeString", "Attachments",
}
HEAVY_FIELDS = ("LineItems", "Payments", "CreditNotes", "Prepayments", "Overpayments", "Attachments")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
EMAIL_STATUSES = ("SUBMITTED", "AUTHORISED", "PAID")
EMAIL_REFUSED = ("The invoice must be of Type ACCREC and a valid Status for sending "
                 "(SUBMITTED, AUTHORISED or PAID).")
NO_EMAIL_ADDRESS = "The contact %s has no email address to send the invoice to."        # [fake]
NO_ONLINE_INVOICE = "An online invoice is only available for an approved sales invoice."  # [fake]

INVOICES = Documents(docrules.INVOICE, "invoices", READ_ONLY, error_flag="HasErrors")


def find(store, key):
    return listing.find(store, key, store.by_number)


# -- reads -------------------------------------------------------------------------------------

def present(record, places, with_lines=True, summary=False):
    """The stored invoice as answered: without lines (or, ``summary``, anything heavy), unit
    amounts at ``places`` decimals."""
    if summary:
        return {k: v for k, v in record.items() if k not in HEAVY_FIELDS}
    if not with_lines:
        return {k: v for k, v in record.items() if k != "LineItems"}
    if places == 4:
        return record
    return dict(record, LineItems=[lines.at_places(line, places) for line in record.get("LineItems") or ()])


def _filters(ctx):
    """Predicates of the query's filters, and a key describing them."""
    statuses = {s.upper() for s in listing.values(ctx, "Statuses")}
    contact_ids = {c.lower() for c in listing.values(ctx, "ContactIDs")}
    numbers = {n.lower() for n in listing.values(ctx, "InvoiceNumbers")}
    term = (ctx.q("searchTerm") or "").lower()
    tests = [
        listing.where_predicate(ctx),
        (lambda r: r.get("Status") in statuses) if statuses else None,
        (lambda r: (r.get("Contact") or {}).get("ContactID", "").lower() in contact_ids) if contact_ids else None,
        (lambda r: (r.get("InvoiceNumber") or "").strip().lower() in numbers) if numbers else None,
        (lambda r: any(term in (r.get(f) or "").lower() for f in ("InvoiceNumber", "Reference"))) if term else None,
    ]
    key = (ctx.q("where"), tuple(sorted(statuses)), tuple(sorted(contact_ids)), tuple(sorted(numbers)), term)
    return tests, key


def list_invoices(ctx):
    store = ctx.tenant.invoices
    since = listing.modified_since(ctx)
    order = ctx.q("order")
    tests, key = _filters(ctx)
    ids = listing.values(ctx, "IDs")
    if ids:
        records, stamps = store.ordered(found for i in ids for found in store.with_id(i))
        records = listing.select(records, stamps, tests, since, order)
    else:
        records = store.view(("list", since, order) + key,
                             lambda recs, stamps: listing.select(recs, stamps, tests, since, order))
    records, pagination = listing.paged(ctx, records, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    places = unit_places(ctx)
    summary = ctx.q_bool("summaryOnly", False)
    answer = [present(r, places, with_lines=pagination is not None, summary=summary) for r in records]
    return ApiResponse(200, ctx.envelope("Invoices", answer, pagination=pagination))


def get_invoice(ctx):
    store = ctx.tenant.invoices
    places = unit_places(ctx)
    return listing.one(ctx, "Invoices", store, find(store, ctx.params["InvoiceID"]),
                       lambda r: present(r, places))


# -- e-mail and the online invoice -------------------------------------------------------------

def _refuse(invoice_id, message):
    return ApiError(400, shapes.validation_exception([
        {"InvoiceID": invoice_id, "HasErrors": True, "ValidationErrors": [{"Message": message}]}]))


def email_errors(tenant, invoice):
    if invoice.get("Type") != "ACCREC" or invoice.get("Status") not in EMAIL_STATUSES:
        return [EMAIL_REFUSED]
    contact = tenant.contacts.get(tenant.contacts.find_id((invoice.get("Contact") or {}).get("ContactID", "")))
    has_address = bool((contact or {}).get("EmailAddress")) or any(
        p.get("EmailAddress") and p.get("IncludeInEmails") for p in (contact or {}).get("ContactPersons") or ())
    return [] if has_address else [NO_EMAIL_ADDRESS % (invoice.get("Contact") or {}).get("Name")]


def email_invoice(ctx):
    tenant = ctx.tenant
    with tenant.lock:
        store = tenant.invoices
        invoice_id = find(store, ctx.params["InvoiceID"])
        if invoice_id is None:
            raise not_found()
        invoice = store[invoice_id]
        errors = email_errors(tenant, invoice)
        if errors:
            raise _refuse(invoice_id, errors[0])
        tenant.emails[invoice_id] += 1
        if not invoice.get("SentToContact"):
            store[invoice_id] = dict(invoice, SentToContact=True, UpdatedDateUTC=shapes.ms_date(ctx.clock.now()))
    return ApiResponse(204, b"", None)


def online_invoice_url(tenant_id, invoice_id):
    """A stable address per invoice, shaped as Xero's (https://in.xero.com/ and 40 characters)."""
    digest = hashlib.sha256(("%s/%s" % (tenant_id, invoice_id)).lower().encode()).digest()
    return "https://in.xero.com/" + base64.urlsafe_b64encode(digest).decode().rstrip("=")[:40]


def get_online_invoice(ctx):
    store = ctx.tenant.invoices
    invoice_id = find(store, ctx.params["InvoiceID"])
    if invoice_id is None:
        raise not_found()
    invoice = store[invoice_id]
    if invoice.get("Type") != "ACCREC" or invoice.get("Status") in ("DRAFT", "DELETED"):
        raise _refuse(invoice_id, NO_ONLINE_INVOICE)
    url = online_invoice_url(ctx.tenant.tenant_id, invoice_id)
    return ApiResponse(200, ctx.envelope("OnlineInvoices", [{"OnlineInvoiceUrl": url}]))


def register(router):
    router.add("GET", "/Invoices", list_invoices, READ_SCOPES)
    router.add("GET", "/Invoices/{InvoiceID}", get_invoice, READ_SCOPES)
    router.add("POST", "/Invoices/{InvoiceID}/Email", email_invoice, WRITE_SCOPES)
    router.add("GET", "/Invoices/{InvoiceID}/OnlineInvoice", get_online_invoice, READ_SCOPES)
    writes.register(router, "/Invoices", INVOICES, WRITE_SCOPES)
