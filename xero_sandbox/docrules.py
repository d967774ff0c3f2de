"""Xero's rules for the header and status of sales documents (invoices, quotes, credit notes):
what each kind of document is called and spelled, which statuses it may move between, and the
messages of an element's ``ValidationErrors``. Line rules: ``lines.py``; arithmetic:
``money.py``.

Sources (``A:n`` is line n of Xero's OpenAPI description, xero_accounting.yaml v16.1.0):

- statuses: invoice A:22380, quote A:24362; invoice transitions confirmed by Xero support
  (xeroizer#48): DRAFT -> SUBMITTED/AUTHORISED/DELETED, SUBMITTED -> DRAFT/AUTHORISED/DELETED,
  AUTHORISED -> VOIDED; PAID is set by Xero. Quotes: Xero refuses DRAFT -> DECLINED and
  ACCEPTED -> DECLINED (xero-mcp-server#309, observed on a live organisation); no other quote
  transition is known to be refused, so no other is;
- lengths: the spec's maxLength (Invoice A:22358, Quote A:24249-24331; a test checks them),
  with the message Xero's other objects use ("Title must not be more than 100 characters long.");
- LineAmountTypes: Exclusive|Inclusive|NoTax on invoices and credit notes (A:20661),
  EXCLUSIVE|INCLUSIVE|NOTAX on quotes (A:24355); another spelling fails the whole request;
- messages Xero is known to send: "Invoice # must be unique." (A:8387), "A Contact must be
  specified for this type of transaction", "The document DueDate field must be specified."
  (xeroizer#290), "The document date cannot be before the end of year lock date, currently set
  at 31-Jul-2013" (xeroizer#92), "Invoice not of valid status for modification", "This document
  cannot be edited as it has a payment or credit note allocated to it." and "The status
  AUTHORISED cannot be applied to the invoice because it has payments or credit notes allocated
  to it." (CiviCRM civixero, WorkGuru). The others are the fake's own wording, marked [fake]:
  Xero's are not published.
"""
from . import shapes

CONTACT_REQUIRED = "A Contact must be specified for this type of transaction"
CONTACT_NOT_FOUND = "The contact with ContactID %s could not be found."                # [fake]
CONTACT_ARCHIVED = "The contact %s is archived and cannot be used on this document."  # [fake]
DUE_DATE_REQUIRED = "The document DueDate field must be specified."
LOCKED = "The document date cannot be before the %s lock date, currently set at %s"
CURRENCY_INVALID = "The currency %s is not enabled for this organisation."             # [fake]
BRANDING_INVALID = "The branding theme %s could not be found."                         # [fake]
TYPE_INVALID = "%s Type must be one of %s."                                             # [fake]
NOT_MODIFIABLE = "%s not of valid status for modification"
ALLOCATED = "This document cannot be edited as it has a payment or credit note allocated to it."
AUTHORISED_ALLOCATED = ("The status AUTHORISED cannot be applied to the invoice because it has "
                        "payments or credit notes allocated to it.")
CREATE_STATUS = "A new %s cannot have the status %s."                                   # [fake]
QUOTE_TRANSITION = "The quote status cannot be changed from %s to %s."                  # [fake]
NOT_FOUND = "The %s with %s %s could not be found."                                     # [fake]

_INVOICE_STATUSES = ("DRAFT", "SUBMITTED", "DELETED", "AUTHORISED", "PAID", "VOIDED")     # A:22380
_INVOICE_FLOW = {
    "DRAFT": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
    "SUBMITTED": {"SUBMITTED", "DRAFT", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "VOIDED"},
    "PAID": {"PAID"},
    "VOIDED": set(),
    "DELETED": set(),
}
_QUOTE_STATUSES = ("DRAFT", "SENT", "DECLINED", "ACCEPTED", "INVOICED", "DELETED")
_QUOTE_REFUSED = {("DRAFT", "DECLINED"), ("ACCEPTED", "DECLINED")}
_QUOTE_FLOW = {s: ({t for t in _QUOTE_STATUSES if (s, t) not in _QUOTE_REFUSED} if s != "DELETED" else set())
               for s in _QUOTE_STATUSES}


class Kind:
    """What sets one kind of sales document apart."""

    def __init__(self, name, noun, key, id_field, number_field, spelling, statuses, flow, create,
                 types=(), fixed_places=None, numbered_types=None, limits=None):
        self.name = name                    # "invoice"
        self.noun = noun                    # "Invoice", as in "Invoice not of valid status ..."
        self.key = key                      # "Invoices": the body's wrapper and the answer's key
        self.id_field = id_field            # "InvoiceID"
        self.number_field = number_field    # "InvoiceNumber"
        self.spelling = spelling            # folded line amount type -> Xero's spelling
        self.statuses = statuses
        self.flow = flow                    # status -> the statuses a client may set from it
        self.create = create                # the statuses a new document may have
        self.types = types                  # values of Type (none: quotes have no Type)
        self.fixed_places = fixed_places    # unit amount decimals when unitdp does not apply
        # Types whose numbers Xero assigns and keeps unique (a bill's number is the supplier's).
        self.numbered_types = numbered_types
        self.limits = limits or {}          # text field -> maximum length (the spec's maxLength)

    def fold(self, spelled):
        """The folded line amount type (exclusive, inclusive, notax) of Xero's spelling, or None."""
        return next((k for k, v in self.spelling.items() if v == spelled), None)

    def numbered(self, record):
        return self.numbered_types is None or record.get("Type") in self.numbered_types


INVOICE = Kind("invoice", "Invoice", "Invoices", "InvoiceID", "InvoiceNumber",
               {"exclusive": "Exclusive", "inclusive": "Inclusive", "notax": "NoTax"},
               _INVOICE_STATUSES, _INVOICE_FLOW, ("DRAFT", "SUBMITTED", "AUTHORISED"),
               types=("ACCREC", "ACCPAY"), numbered_types=("ACCREC",), limits={"InvoiceNumber": 255})
CREDIT_NOTE = Kind("credit note", "Document", "CreditNotes", "CreditNoteID", "CreditNoteNumber",
                   INVOICE.spelling, INVOICE.statuses, _INVOICE_FLOW, INVOICE.create,
                   types=("ACCRECCREDIT", "ACCPAYCREDIT"), numbered_types=("ACCRECCREDIT",))
QUOTE = Kind("quote", "Quote", "Quotes", "QuoteID", "QuoteNumber",
             {"exclusive": "EXCLUSIVE", "inclusive": "INCLUSIVE", "notax": "NOTAX"},
             _QUOTE_STATUSES, _QUOTE_FLOW, ("DRAFT", "SENT", "ACCEPTED", "INVOICED"),
             fixed_places=4,     # quotes take no unitdp and keep 4 decimals (Xero's quote docs)
             limits={"QuoteNumber": 255, "Reference": 4000, "Terms": 4000, "Title": 100, "Summary": 3000})

NUMBER_TAKEN = {INVOICE.name: "Invoice # must be unique.",
                CREDIT_NOTE.name: "Credit Note # must be unique.",     # [fake]
                QUOTE.name: "Quote # must be unique."}                 # [fake]
SALES_TYPES = ("ACCREC", "ACCRECCREDIT")


def is_sales(kind, record):
    """Whether the document sells (its lines post to revenue): quotes, ACCREC, ACCRECCREDIT."""
    return kind is QUOTE or record.get("Type") in SALES_TYPES


def status_errors(kind, old, new, is_new, allocated):
    """Messages for a document moving from status ``old`` to ``new`` (``is_new``: being
    created); ``allocated``: it has payments or credit notes allocated."""
    if is_new:
        return [] if new in kind.create else [CREATE_STATUS % (kind.name, new)]
    if new == old and old not in ("VOIDED", "DELETED"):
        return []
    if old == "PAID" and new == "AUTHORISED":
        return [AUTHORISED_ALLOCATED]
    # A paid document is an approved one with allocations: voiding it is refused as such.
    if new not in kind.flow.get("AUTHORISED" if old == "PAID" else old, ()):
        if kind is QUOTE and old != "DELETED":
            return [QUOTE_TRANSITION % (old, new)]
        return [NOT_MODIFIABLE % kind.noun]
    if allocated and new != old:
        return [ALLOCATED]
    return []


def lock_date(organisation):
    """(the organisation's effective lock date, which lock) or (None, None): the later of its
    PeriodLockDate (all users but advisers: an app is not an adviser) and EndOfYearLockDate."""
    locks = [(shapes.day_of(organisation.get(field)), name) for field, name in
             (("PeriodLockDate", "period"), ("EndOfYearLockDate", "end of year"))]
    locks = [lock for lock in locks if lock[0] is not None]
    return max(locks) if locks else (None, None)


def lock_errors(organisation, day):
    """A document (or payment) dated on or before the lock date is refused."""
    locked, which = lock_date(organisation)
    if locked is not None and day is not None and day <= locked:
        return [LOCKED % (which, locked.strftime("%d-%b-%Y"))]
    return []
