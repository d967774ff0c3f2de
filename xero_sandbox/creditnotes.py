"""Credit notes (the minimum a sales sync needs): PUT/POST /CreditNotes, POST
/CreditNotes/{CreditNoteID}, GET (paged, by ID or number) and PUT
/CreditNotes/{CreditNoteID}/Allocations, which applies credit to an invoice.

Writing a credit note: ``documents.py`` (``docrules.CREDIT_NOTE``: Type ACCRECCREDIT or
ACCPAYCREDIT, invoice statuses and transitions, numbers CN-0001... for ACCRECCREDIT, no DueDate
needed to approve). Its RemainingCredit and PAID status: ``balances.py``.

An allocation (schema Allocation, A:21754: Invoice, Amount and Date required) moves credit from
an AUTHORISED credit note to an AUTHORISED invoice of the same side (ACCRECCREDIT to ACCREC) and
currency, for no more than the credit left nor the invoice owes; the invoice gets it in
CreditNotes[] and AmountCredited, and is PAID when nothing is owed. Allocations are kept in
their own store so that they share the write pipeline (all or nothing, summarizeErrors,
Idempotency-Key). Messages without a source are the fake's own wording, marked [fake].

``credit_invoice`` does what a Xero user does to settle an invoice with credit: an AUTHORISED
credit note for its contact, allocated to it.
"""
import uuid

from . import balances, docrules, listing, money, reading, shapes, writes
from .accounting import ApiResponse, not_found
from .documents import Documents, SeedContext, echo_dates
from .items import unit_places
from .lines import at_places, usable_on_document
from .payments import AMOUNT_EXCEEDS, AMOUNT_REQUIRED, INVOICE_NOT_FOUND, INVOICE_REQUIRED

READ_SCOPES = ("accounting.transactions", "accounting.transactions.read")
WRITE_SCOPES = ("accounting.transactions",)
READ_ONLY = {"CreditNoteID", "UpdatedDateUTC", "UpdatedDateUTCString", "SubTotal", "TotalTax", "Total",
             "RemainingCredit", "Allocations", "Payments", "AppliedAmount", "FullyPaidOnDate", "HasErrors",
             "HasAttachments", "ValidationErrors", "Warnings", "StatusAttributeString", "CISDeduction", "CISRate",
             "SentToContact"}
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

CREDIT_NOT_AUTHORISED = "Only an AUTHORISED credit note can be allocated."                  # [fake]
INVOICE_NOT_AUTHORISED = "Credit can only be allocated to an AUTHORISED invoice."          # [fake]
OTHER_SIDE = "A %s credit note cannot be allocated to a %s invoice."                        # [fake]
OTHER_CURRENCY = "The credit note and the invoice must be in the same currency."          # [fake]
CREDIT_EXCEEDED = "The amount allocated exceeds the remaining credit on the credit note."  # [fake]
_SIDES = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}

CREDIT_NOTES = Documents(docrules.CREDIT_NOTE, "credit_notes", READ_ONLY, error_flag="HasErrors")


def find(store, key):
    return listing.find(store, key, store.by_number)


# -- allocations -------------------------------------------------------------------------------

def read_allocation(incoming):
    typed = {}
    if "Invoice" in incoming:
        given = reading.obj(incoming["Invoice"], "Invoice") or {}
        typed["Invoice"] = {k: reading.text(given.get(k), "Invoice." + k)
                            for k in ("InvoiceID", "InvoiceNumber") if k in given}
    if "Amount" in incoming:
        typed["Amount"] = reading.number(incoming["Amount"], "Amount")
    if "Date" in incoming:
        typed["Date"] = reading.day(incoming["Date"], "Date")
    return typed


def allocate(tenant, now, allocation_id, note_id, incoming, notes, invoices):
    """(the allocation as stored, messages); a valid one is applied to the credit note in
    ``notes`` and the invoice in ``invoices`` (the request's pending changes)."""
    note = notes[note_id]
    given = incoming.get("Invoice") or {}
    if not given.get("InvoiceID") and not given.get("InvoiceNumber"):
        return {}, [INVOICE_REQUIRED]
    found = (invoices.find_id(given["InvoiceID"]) if given.get("InvoiceID")
             else invoices.by_number(given["InvoiceNumber"]))
    if found is None:
        return {}, [INVOICE_NOT_FOUND % (given.get("InvoiceID") or given.get("InvoiceNumber"))]
    invoice = invoices[found]
    errors = []
    if note.get("Status") != "AUTHORISED":
        errors.append(CREDIT_NOT_AUTHORISED)
    if invoice.get("Status") != "AUTHORISED":
        errors.append(INVOICE_NOT_AUTHORISED)
    if _SIDES.get(note.get("Type")) != invoice.get("Type"):
        errors.append(OTHER_SIDE % (note.get("Type"), invoice.get("Type")))
    if note.get("CurrencyCode") != invoice.get("CurrencyCode"):
        errors.append(OTHER_CURRENCY)
    amount = incoming.get("Amount")
    if amount is None or money.dec(amount) <= 0:
        errors.append(AMOUNT_REQUIRED)
    else:
        amount = money.rounded(amount)
        if amount > money.dec(note.get("RemainingCredit") or 0):
            errors.append(CREDIT_EXCEEDED)
        if amount > money.dec(invoice.get("AmountDue") or 0):
            errors.append(AMOUNT_EXCEEDS)
    day = incoming.get("Date") or shapes.today(now)
    errors += docrules.lock_errors(tenant.organisation, day)
    if errors:
        return {}, errors

    date = shapes.ms_day(day)
    on_invoice = {"InvoiceID": invoice["InvoiceID"], "InvoiceNumber": invoice.get("InvoiceNumber")}
    on_note = {"CreditNoteID": note["CreditNoteID"], "CreditNoteNumber": note.get("CreditNoteNumber")}
    allocation = {"AllocationID": allocation_id, "Amount": money.number(amount), "Date": date,
                  "Invoice": on_invoice, "CreditNote": on_note}
    stamp = shapes.ms_date(now)
    notes[note_id] = dict(balances.settle_credit_note(dict(note, Allocations=list(note.get("Allocations") or ()) + [
        {"AllocationID": allocation_id, "Amount": allocation["Amount"], "Date": date, "Invoice": on_invoice}])),
        UpdatedDateUTC=stamp)
    applied = dict(on_note, Type=note.get("Type"), AppliedAmount=allocation["Amount"], Date=date,
                   Total=note.get("Total"))
    invoices[found] = dict(balances.settle_invoice(dict(invoice, CreditNotes=list(invoice.get("CreditNotes") or ())
                                                        + [applied])), UpdatedDateUTC=stamp)
    return allocation, []


class _Allocations(writes.Resource):
    KEY = "Allocations"
    ID_FIELD = "AllocationID"
    READ_ONLY = frozenset({"AllocationID", "IsDeleted", "StatusAttributeString", "ValidationErrors"})
    NOT_AN_OBJECT = "An allocation must be a JSON object."

    def store(self, tenant):
        return tenant.allocations

    def changes(self, tenant):
        work = tenant.allocations.changes()
        work.attach("credit_notes", CREDIT_NOTES.changes(tenant))
        work.attach("invoices", tenant.invoices.changes())
        return work

    def read(self, incoming):
        return read_allocation(incoming)

    def resolve(self, ctx, incoming, work, path_id, given_id):
        return None, []         # allocations are only ever created here

    def new(self, record_id):
        return {"AllocationID": record_id}

    def echo(self, element, record, target):
        return echo_dates(element, ("Date",))

    def save(self, ctx, stored, incoming, target, work):
        notes = work.attached["credit_notes"]
        note_id = find(notes, ctx.params["CreditNoteID"])
        return allocate(ctx.tenant, ctx.clock.now(), stored["AllocationID"], note_id, incoming, notes,
                        work.attached["invoices"])


ALLOCATIONS = _Allocations()


def put_allocations(ctx):
    if find(ctx.tenant.credit_notes, ctx.params["CreditNoteID"]) is None:
        raise not_found()
    return writes.write(ctx, ALLOCATIONS)


# -- reads -------------------------------------------------------------------------------------

def _present(places):
    if places == 4:
        return lambda record: record
    return lambda record: dict(record, LineItems=[at_places(line, places) for line in record.get("LineItems") or ()])


def list_credit_notes(ctx):
    store = ctx.tenant.credit_notes
    since = listing.modified_since(ctx)
    order = ctx.q("order")
    predicate = listing.where_predicate(ctx)
    records = store.view(("list", ctx.q("where"), since, order),
                         lambda recs, stamps: listing.select(recs, stamps, [predicate], since, order))
    records, pagination = listing.paged(ctx, records, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    present = _present(unit_places(ctx))
    return ApiResponse(200, ctx.envelope("CreditNotes", [present(r) for r in records], pagination=pagination))


def get_credit_note(ctx):
    store = ctx.tenant.credit_notes
    return listing.one(ctx, "CreditNotes", store, find(store, ctx.params["CreditNoteID"]),
                       _present(unit_places(ctx)))


def register(router):
    router.add("GET", "/CreditNotes", list_credit_notes, READ_SCOPES)
    router.add("GET", "/CreditNotes/{CreditNoteID}", get_credit_note, READ_SCOPES)
    router.add("PUT", "/CreditNotes/{CreditNoteID}/Allocations", put_allocations, WRITE_SCOPES)
    writes.register(router, "/CreditNotes", CREDIT_NOTES, WRITE_SCOPES)


# -- as a Xero user would ------------------------------------------------------------------------

def credit_invoice(tenant, clock, invoice, amount=None, day=None):
    """Settle ``amount`` (default: all it owes) of ``invoice`` (InvoiceID or InvoiceNumber) with
    credit: an AUTHORISED ACCRECCREDIT credit note (no tax, on the account of the invoice's first
    line that has one) for its contact and currency, allocated to it on ``day`` (default: today).
    Raises KeyError for an unknown invoice and ValueError with Xero's messages. Returns the
    stored credit note."""
    with tenant.lock:
        invoice_id = find(tenant.invoices, invoice)
        if invoice_id is None:
            raise KeyError(invoice)
        stored = tenant.invoices[invoice_id]
        amount = stored["AmountDue"] if amount is None else amount
        account = next((line["AccountCode"] for line in stored.get("LineItems") or () if line.get("AccountCode")
                        and usable_on_document(tenant.accounts.account(line["AccountCode"]))), None)
        line = {"Description": "Credit for %s" % stored.get("InvoiceNumber"), "Quantity": 1, "UnitAmount": amount}
        if account:
            line["AccountCode"] = account
        # One request's worth of changes: nothing is stored unless the allocation passes too.
        work = ALLOCATIONS.changes(tenant)
        notes, invoices = work.attached["credit_notes"], work.attached["invoices"]
        incoming = CREDIT_NOTES.read({
            "Type": "ACCRECCREDIT", "Status": "AUTHORISED", "Contact": {"ContactID": stored["Contact"]["ContactID"]},
            "CurrencyCode": stored.get("CurrencyCode"), "CurrencyRate": stored.get("CurrencyRate"),
            "LineAmountTypes": "NoTax", "Date": day, "LineItems": [line]})
        note, errors = CREDIT_NOTES.save(SeedContext(tenant, clock), CREDIT_NOTES.new(str(uuid.uuid4())),
                                         incoming, None, notes)
        if errors:
            raise ValueError("; ".join(errors))
        note["UpdatedDateUTC"] = shapes.ms_date(clock.now())
        notes[note["CreditNoteID"]] = note
        allocation, errors = allocate(tenant, clock.now(), str(uuid.uuid4()), note["CreditNoteID"],
                                      {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": day},
                                      notes, invoices)
        if errors:
            raise ValueError("; ".join(errors))
        work[allocation["AllocationID"]] = allocation
        work.commit()
        return tenant.credit_notes[note["CreditNoteID"]]
