"""Writing sales documents (invoices, quotes, credit notes): one ``Documents`` resource per kind,
plugged into the write pipeline every resource shares (``writes.py``: PUT creates, POST updates
or creates, ``summarizeErrors``, all-or-nothing batches, Idempotency-Key replays).

How an element becomes a stored document, after Xero's docs and what its users report:

- PUT creates (an element carrying the ID of an existing document fails: Xero assigns IDs);
  POST updates the document its ID names (else fails), else the numbered document (ACCREC
  invoice, ACCRECCREDIT credit note, quote) with its number, else creates one; POST on
  ``/{ID}`` updates that one (the path may carry the number too, as GET's does).
- Omitted header fields keep their value; a quote is the exception reported by
  xero-mcp-server#309: a POST without LineAmountTypes re-prices it EXCLUSIVE and clears the
  text fields it leaves out (Reference, Terms, Title, Summary).
- ``LineItems`` replace the lines: a line carrying a stored LineItemID updates that line (its
  omitted fields kept) and keeps its ID, any other line is new, and stored lines left out are
  removed (reported in Xero's MCP tool docs). Without ``LineItems`` the lines stay, re-priced
  at this request's decimals: a write without ``unitdp=4`` rounds stored 4-decimal prices, the
  trap Xero's users report.
- The contact: by ContactID (must exist, not ARCHIVED), else ContactNumber, else the ACTIVE
  contact of that Name; a Name matching none creates the contact, as Xero does. The document
  answers a summary of it (ContactID, Name, ContactStatus, ContactNumber, EmailAddress).
- Date defaults to the organisation's today (UTC here); invoices and credit notes dated on or
  before the lock date are refused (quotes do not post to the ledger). CurrencyCode defaults to
  the base currency and must be enabled; CurrencyRate is 1 in the base currency, else the one
  sent, else a fixed rate per pair (``settings.currency_rate``). BrandingThemeID must name a
  theme; the default theme (SortOrder 0) otherwise.
- Numbers: unique among numbered documents of the kind, given or the next automatic one.
- Status: ``docrules.status_errors``; an AUTHORISED invoice needs a DueDate and an account on
  every line with an amount; a document with payments or credit notes allocated refuses
  changes to what makes its total (``FROZEN``).
- Lines: ``lines.py``; totals: ``money.py``; what is owed: ``balances.py``.

Dates are answered as Xero writes them: ``/Date(ms+0000)/`` at midnight UTC, with the
``DateString`` forms (``2024-05-01T00:00:00``) beside Date, DueDate and ExpiryDate.
"""
import copy
import uuid

from . import balances, contacts, docrules, lines, listing, money, reading, rules, shapes, writes
from .accounting import ApiError, invalid_json
from .docrules import CREDIT_NOTE, INVOICE, QUOTE
from .items import unit_places
from .settings import currency_rate

_TEXT = ("Type", "InvoiceNumber", "QuoteNumber", "CreditNoteNumber", "Reference", "Url", "Terms",
         "Title", "Summary", "BrandingThemeID", "CurrencyCode", "Status", "LineAmountTypes")
_DATES = ("Date", "DueDate", "ExpiryDate", "ExpectedPaymentDate", "PlannedPaymentDate")
_DATE_STRINGS = ("Date", "DueDate", "ExpiryDate")       # answered with a "...String" twin too
# What a client may set on each kind (other fields are ignored, as read-only ones are).
WRITABLE = {
    INVOICE.name: {"Type", "Contact", "LineItems", "Date", "DueDate", "LineAmountTypes", "InvoiceNumber",
                   "Reference", "BrandingThemeID", "Url", "CurrencyCode", "CurrencyRate", "Status",
                   "SentToContact", "ExpectedPaymentDate", "PlannedPaymentDate"},
    CREDIT_NOTE.name: {"Type", "Contact", "LineItems", "Date", "DueDate", "LineAmountTypes", "CreditNoteNumber",
                       "Reference", "BrandingThemeID", "CurrencyCode", "CurrencyRate", "Status"},
    QUOTE.name: {"Contact", "LineItems", "Date", "ExpiryDate", "LineAmountTypes", "QuoteNumber", "Reference",
                 "Terms", "Title", "Summary", "BrandingThemeID", "CurrencyCode", "CurrencyRate", "Status"},
}
QUOTE_CLEARED = ("Reference", "Terms", "Title", "Summary")
# What makes a document's total: frozen once a payment or credit note is allocated to it.
FROZEN = ("Type", "Date", "CurrencyCode", "CurrencyRate", "LineAmountTypes", "LineItems", "Total")
LINES_REQUIRED = "At least one line item must be specified."        # [fake]
EMPTY_ID = "00000000-0000-0000-0000-000000000000"
ALREADY = "A document with %s %s already exists; use POST to update it."  # [fake]


class Documents(writes.Resource):
    def __init__(self, kind, store_attr, read_only, error_flag=None):
        self.kind = kind
        self.KEY = kind.key
        self.ID_FIELD = kind.id_field
        self.READ_ONLY = frozenset(read_only)
        self.ERROR_FLAG = error_flag
        self.NOT_AN_OBJECT = "A %s must be a JSON object." % kind.name
        self.store_attr = store_attr

    def store(self, tenant):
        return getattr(tenant, self.store_attr)

    def changes(self, tenant):
        work = self.store(tenant).changes()
        work.attach("contacts", tenant.contacts.changes())     # contacts created by Name
        return work

    def find(self, store, key):
        return listing.find(store, key, store.by_number)

    def read(self, incoming):
        return read(self.kind, incoming)

    def resolve(self, ctx, incoming, work, path_id, given_id):
        kind = self.kind
        if path_id is not None:
            return path_id, []
        if given_id:
            found = work.find_id(given_id)
            if ctx.method == "PUT":
                return None, ([ALREADY % (kind.id_field, given_id)] if found else [])
            if found:
                return found, []
            return None, [docrules.NOT_FOUND % (kind.name, kind.id_field, given_id)]
        number = incoming.get(kind.number_field)
        if ctx.method == "POST" and number:
            found = next((i for i in work.with_number(number) if kind.numbered(work[i])
                          and incoming.get("Type") in (None, work[i].get("Type"))), None)
            return found, []
        return None, []

    def new(self, record_id):
        return new_document(self.kind, record_id)

    def save(self, ctx, stored, incoming, target, work):
        return build(self.kind, ctx, stored, incoming, target, work)

    def echo(self, element, record, target):
        """Xero answers a failed document as it would have stored it (a new one with an empty
        ID), or, refused before that, as sent with its dates written its own way."""
        if record is None:
            return echo_dates(element, _DATES)
        return dict(record, **{self.ID_FIELD: target or EMPTY_ID})


def new_document(kind, record_id):
    """What Xero stores for a new document before the client's fields are applied."""
    record = {kind.id_field: record_id, "Status": "DRAFT", "LineItems": []}
    if kind is INVOICE:
        record.update(Payments=[], CreditNotes=[], Prepayments=[], Overpayments=[], SentToContact=False,
                      HasAttachments=False, HasErrors=False, Reference="")
    elif kind is CREDIT_NOTE:
        record.update(Allocations=[], Payments=[], HasAttachments=False, HasErrors=False, Reference="")
    return record


# -- reading -----------------------------------------------------------------------------------

def _enum_refused(value, type_name, path):
    return invalid_json("Error converting value \"%s\" to type '%s'. Path '%s'." % (value, type_name, path))


def read_line(line, path):
    typed = {}
    for key in lines.NUMBERS:
        if key in line:
            typed[key] = reading.number(line[key], "%s.%s" % (path, key))
    for key in lines.TEXTS:
        if key in line:
            typed[key] = reading.text(line[key], "%s.%s" % (path, key))
    if "Tracking" in line:
        entries = reading.array(line["Tracking"], path + ".Tracking") or []
        typed["Tracking"] = [{k: reading.text(e.get(k), "%s.Tracking.%s" % (path, k))
                              for k in ("TrackingCategoryID", "TrackingOptionID", "Name", "Option") if k in e}
                             for e in entries]
    return typed


def read(kind, incoming):
    """The element's writable fields in the types Xero reads them into; a LineAmountTypes or
    Status spelled otherwise than this kind's, or a value of the wrong type, fails the whole
    request (400 PostDataInvalidException), as Xero's reader does."""
    typed = {}
    for key, value in incoming.items():
        if key not in WRITABLE[kind.name]:
            continue
        if key in _TEXT:
            typed[key] = reading.text(value, key)
        elif key in _DATES:
            typed[key] = reading.day(value, key)
        elif key == "CurrencyRate":
            typed[key] = reading.number(value, key)
        elif key == "SentToContact":
            typed[key] = reading.boolean(value, key)
        elif key == "Contact":
            typed[key] = reading.obj(value, key)
        elif key == "LineItems":
            typed[key] = [read_line(line, "LineItems[%d]" % n)
                          for n, line in enumerate(reading.array(value, key) or [])]
    spelled = typed.get("LineAmountTypes")
    if spelled is not None and kind.fold(spelled) is None:
        raise _enum_refused(spelled, "LineAmountType", "LineAmountTypes")
    status = typed.get("Status")
    if status is not None and status not in kind.statuses:
        raise _enum_refused(status, "%sStatus" % kind.noun, "Status")
    return typed


# -- dates -------------------------------------------------------------------------------------

def echo_dates(element, keys):
    """``element`` with the dates of ``keys`` written as Xero answers them (as sent when they
    cannot be read)."""
    out = dict(element)
    for key in keys:
        if isinstance(out.get(key), str):
            try:
                out[key] = shapes.ms_day(reading.day(out[key], key))
            except ApiError:
                pass
    return out


def set_date(record, key, day):
    """Store ``day`` (a date, or None to clear) as Xero answers it."""
    if day is None:
        record.pop(key, None)
        record.pop(key + "String", None)
        return
    record[key] = shapes.ms_day(day)
    if key in _DATE_STRINGS:
        record[key + "String"] = day.strftime("%Y-%m-%dT00:00:00")


def day_of(record, key):
    """The stored date ``key`` of ``record`` as a date, or None."""
    return shapes.day_of(record.get(key))


# -- the contact -------------------------------------------------------------------------------

def contact_summary(contact):
    summary = {"ContactID": contact["ContactID"], "Name": contact.get("Name"),
               "ContactStatus": contact.get("ContactStatus", "ACTIVE")}
    for key in ("ContactNumber", "EmailAddress"):
        if contact.get(key):
            summary[key] = contact[key]
    return summary


def resolve_contact(found_in, sent, stored):
    """(the document's contact summary, messages, a contact to create or None): ``sent`` is
    the element's Contact (None: keep ``stored``); ``found_in`` the request's contacts."""
    if not sent:
        return (stored, [], None) if stored else (None, [docrules.CONTACT_REQUIRED], None)
    contact_id, number, name = sent.get("ContactID"), sent.get("ContactNumber"), sent.get("Name")
    found = None
    if contact_id:
        found = found_in.find_id(contact_id)
        if not found:
            return None, [docrules.CONTACT_NOT_FOUND % contact_id], None
    elif number:
        found = found_in.by_number(number)
    if not found and not contact_id and isinstance(name, str) and name.strip():
        found = found_in.active_by_name(name)
        if not found:
            fields = {k: v for k, v in sent.items() if k not in contacts.READ_ONLY}
            created = contacts.merge(contacts.new_contact(str(uuid.uuid4())), fields)
            errors = rules.contact_errors(created, fields, None, found_in)
            return (None, errors, None) if errors else (contact_summary(created), [], created)
    if not found:
        return None, [docrules.CONTACT_REQUIRED], None
    contact = found_in[found]
    if contact.get("ContactStatus") == "ARCHIVED":
        return None, [docrules.CONTACT_ARCHIVED % contact.get("Name")], None
    return contact_summary(contact), [], None


# -- lines -------------------------------------------------------------------------------------

_COMPUTED = ("LineAmount", "TaxAmount", "Item", "AccountID")


def as_sent(line):
    """A stored line as a client would send it, to price it again."""
    return {k: v for k, v in line.items() if k not in _COMPUTED}


def merge_line(stored_line, sent):
    return dict(as_sent(stored_line), **sent) if stored_line else sent


def _discount(priced):
    total = money.ZERO
    for line in priced:
        if line.get("DiscountRate") or line.get("DiscountAmount"):
            total += money.rounded(money.dec(line["Quantity"]) * money.dec(line["UnitAmount"])) \
                - money.dec(line["LineAmount"])
    return total


# -- building a document -----------------------------------------------------------------------

def build(kind, ctx, stored, incoming, target, work):
    """(the document as it would be stored, error messages): ``incoming`` (an element as
    ``read``) over ``stored`` (``new_document`` for a new one); ``target`` its ID, None when new;
    ``work`` the request's pending documents (contacts attached)."""
    tenant = ctx.tenant
    is_new = target is None
    record = copy.deepcopy(stored)
    for key, value in incoming.items():
        if key in _DATES:
            set_date(record, key, value)
        elif key not in ("LineItems", "Contact"):
            record[key] = value
    if kind is QUOTE and not is_new:
        for key in QUOTE_CLEARED:
            if key not in incoming:
                record.pop(key, None)
        if "LineAmountTypes" not in incoming:
            record["LineAmountTypes"] = kind.spelling["exclusive"]
    errors = rules.length_errors(record, kind.limits)
    if kind.types and record.get("Type") not in kind.types:
        errors.append(docrules.TYPE_INVALID % (kind.name.capitalize(), ", ".join(kind.types)))

    contacts_work = work.attached["contacts"]
    contact, contact_errors, new_contact = resolve_contact(contacts_work, incoming.get("Contact"),
                                                           record.get("Contact"))
    errors += contact_errors
    if contact:
        record["Contact"] = contact
    if record.get("Date") is None:
        set_date(record, "Date", shapes.today(ctx.clock.now()))
    if kind is not QUOTE:
        errors += docrules.lock_errors(tenant.organisation, day_of(record, "Date"))
    errors += _currency(tenant, stored, incoming, record)
    errors += _branding(tenant, record)

    status = record.get("Status") or "DRAFT"
    record["Status"] = status
    allocated = balances.is_allocated(stored)
    errors += docrules.status_errors(kind, stored.get("Status"), status, is_new, allocated)
    if status not in ("AUTHORISED", "PAID", "SUBMITTED") and record.get("SentToContact"):
        record["SentToContact"] = False         # only an approved document is marked sent

    number = record.get(kind.number_field)
    if number and kind.numbered(record) and any(
            other != target and kind.numbered(work[other]) for other in work.with_number(number)):
        errors.append(docrules.NUMBER_TAKEN[kind.name])

    errors += _price_lines(kind, ctx, stored, incoming, record)
    if kind is not QUOTE and status == "AUTHORISED":
        if kind is INVOICE and record.get("DueDate") is None:
            errors.append(docrules.DUE_DATE_REQUIRED)
        if any(lines.needs_account(line) for line in record["LineItems"]):
            errors.append(lines.ACCOUNT_REQUIRED)
    if not is_new and allocated and docrules.ALLOCATED not in errors and (
            any(record.get(f) != stored.get(f) for f in FROZEN)
            or (record.get("Contact") or {}).get("ContactID") != (stored.get("Contact") or {}).get("ContactID")):
        errors.append(docrules.ALLOCATED)

    if kind is INVOICE:
        balances.settle_invoice(record)
    elif kind is CREDIT_NOTE:
        balances.settle_credit_note(record)
    if errors:
        return record, errors
    # Only now, the element being valid: its automatic number and the contact it creates.
    if not number and kind.numbered(record):
        record[kind.number_field] = work.next_number(
            lambda n: any(kind.numbered(work[other]) for other in work.with_number(n)))
    if new_contact is not None:
        new_contact["UpdatedDateUTC"] = shapes.ms_date(ctx.clock.now())
        contacts_work[new_contact["ContactID"]] = new_contact
    return record, []


def _currency(tenant, stored, incoming, record):
    base = tenant.organisation["BaseCurrency"]
    code = (record.get("CurrencyCode") or base).upper()
    record["CurrencyCode"] = code
    if tenant.currencies.find_id(code) is None:
        return [docrules.CURRENCY_INVALID % code]
    sent = incoming.get("CurrencyRate")
    if code == base:
        record["CurrencyRate"] = 1.0
    elif sent:
        record["CurrencyRate"] = float(money.rounded(sent, 6))
    elif not record.get("CurrencyRate") or stored.get("CurrencyCode") != code:
        record["CurrencyRate"] = currency_rate(base, code)
    return []


def _branding(tenant, record):
    themes = tenant.branding_themes
    theme = record.get("BrandingThemeID")
    if not theme:
        ordered, _ = themes.ordered()
        if ordered:
            record["BrandingThemeID"] = ordered[0]["BrandingThemeID"]
        return []
    found = themes.find_id(theme)
    if found is None:
        return [docrules.BRANDING_INVALID % theme]
    record["BrandingThemeID"] = found
    return []


def _price_lines(kind, ctx, stored, incoming, record):
    amounts = kind.fold(record.get("LineAmountTypes") or kind.spelling["exclusive"])
    record["LineAmountTypes"] = kind.spelling[amounts]
    pricing = lines.Pricing(ctx.tenant, docrules.is_sales(kind, record), amounts,
                            kind.fixed_places or unit_places(ctx))
    known = {line["LineItemID"].lower(): line for line in stored.get("LineItems") or ()}
    if "LineItems" in incoming:
        sent = [merge_line(known.get((line.get("LineItemID") or "").lower()), line)
                for line in incoming["LineItems"] or ()]
    else:
        sent = [as_sent(line) for line in stored.get("LineItems") or ()]
    errors, priced = [], []
    for line in sent:
        line_out, line_errors = lines.price(line, pricing, known)
        priced.append(line_out)
        errors += [e for e in line_errors if e not in errors]
    if not priced:
        errors.append(LINES_REQUIRED)
    record["LineItems"] = priced
    subtotal, tax, total = money.totals(priced, amounts)
    record.update(SubTotal=money.number(subtotal), TotalTax=money.number(tax), Total=money.number(total))
    discount = _discount(priced)
    record["IsDiscounted"] = bool(discount)
    if discount:
        record["TotalDiscount"] = money.number(discount)
    else:
        record.pop("TotalDiscount", None)
    return errors


# -- seeding (tests, benchmarks) ---------------------------------------------------------------

class SeedContext:
    """What ``build`` reads of a request, for documents created straight in the store as a
    Xero user would create them: PUT semantics, unit amounts kept at 4 decimals."""

    method = "PUT"

    def __init__(self, tenant, clock):
        self.tenant = tenant
        self.clock = clock

    def q(self, name, default=None):
        return "4" if name.lower() == "unitdp" else default


def add_document(resource, tenant, clock, fields):
    """Create a document as a PUT element of ``resource`` would, straight into the store; raises
    ValueError with Xero's messages. Returns the stored document."""
    with tenant.lock:
        ctx = SeedContext(tenant, clock)
        work = resource.changes(tenant)
        incoming = resource.read({k: v for k, v in fields.items() if k not in resource.READ_ONLY})
        record, errors = resource.save(ctx, resource.new(str(uuid.uuid4())), incoming, None, work)
        if errors:
            raise ValueError("; ".join(errors))
        record["UpdatedDateUTC"] = shapes.ms_date(clock.now())
        work[record[resource.ID_FIELD]] = record
        work.commit()
    return record
