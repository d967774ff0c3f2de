"""Sales documents (invoices, quotes) as the engine syncs them.

One field group, ``document``: what Odoo sends (customer, dates, reference, currency, lines).
Odoo owns it while the document can still change; Xero owns the rest (status, amounts paid
and due, dates of payment), which the link keeps as ``facts`` and never sends back. The JSON
itself is ``invoice.to_invoice`` / ``invoice.to_quote``; this module adds what the engine asks
of every mapper (GROUPS, group_hashes, from_xero, to_xero, problems) for each kind.
"""
import hashlib
import json

from .. import dates
from . import invoice

# Every key of the plain values (see invoice.py) is in the one group.
KEYS = ("contact_id", "date", "due_date", "expiry_date", "reference", "number", "currency", "currency_rate",
        "amounts", "url", "branding_theme_id", "title", "summary", "terms", "lines")
# What Xero still lets Odoo change, by status. A draft or submitted invoice is updated in place;
# an approved one is only voided (while nothing is allocated to it); a voided or deleted one is
# replaced by a new invoice when the order is sent again. A quote moves on until accepted, then
# invoiced; a deleted one is replaced.
APPROVABLE = ("DRAFT", "SUBMITTED")
INVOICE_EDITABLE = frozenset(APPROVABLE)
INVOICE_REPLACED = frozenset({"VOIDED", "DELETED"})
QUOTE_EDITABLE = frozenset({"DRAFT", "SENT", "ACCEPTED"})
QUOTE_REPLACED = frozenset({"DELETED"})
SETTLED = "PAID"
AMOUNTS_BACK = {"EXCLUSIVE": "exclusive", "INCLUSIVE": "inclusive", "NOTAX": "notax", "NONE": "notax"}


def _text_date(record, key):
    """YYYY-MM-DD of a date as Xero answers it (``DateString`` first, else ``/Date(ms)/``)."""
    text = record.get(key + "String") or ""
    if text[:4].isdigit():
        return text[:10]
    when = dates.to_datetime(record.get(key))
    return when.strftime("%Y-%m-%d") if when else None


def _hash(value):
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


def _plain_line(line):
    """The parts of a line both sides can say, numbers as floats (0 for none)."""
    return [line.get("description") or "", float(line.get("quantity") or 0), float(line.get("unit_amount") or 0),
            line.get("item_code") or "", line.get("account_code") or "", line.get("tax_type") or "",
            float(line.get("discount_rate") or 0),
            sorted((t.get("name") or "", t.get("option") or "") for t in line.get("tracking") or [])]


class DocumentMapper:
    """The engine's mapper of one kind of document: ``invoice`` or ``quote``. A quote's status
    follows the quotation's (sent, accepted): it is content Odoo sends. An invoice's is Xero's
    (approving, voiding and paying are steps of their own, ``sync/orders/status.py``)."""

    def __init__(self, kind):
        self.kind = kind
        self.keys = KEYS + ("status",) if kind == "quote" else KEYS
        self.GROUPS = {"document": self.keys}
        self.editable = QUOTE_EDITABLE if kind == "quote" else INVOICE_EDITABLE
        self.replaced = QUOTE_REPLACED if kind == "quote" else INVOICE_REPLACED

    def group_hashes(self, values):
        plain = {key: values.get(key) for key in self.keys if key != "lines"}
        plain["lines"] = [_plain_line(line) for line in values.get("lines") or []]
        return {"document": _hash(plain)}

    def from_xero(self, record):
        """The plain values of a Xero document (what ``to_xero`` would send to get it)."""
        number_key = "InvoiceNumber" if self.kind == "invoice" else "QuoteNumber"
        return {
            "contact_id": (record.get("Contact") or {}).get("ContactID"),
            "date": _text_date(record, "Date"),
            "due_date": _text_date(record, "DueDate") if self.kind == "invoice" else None,
            "expiry_date": _text_date(record, "ExpiryDate") if self.kind == "quote" else None,
            "reference": record.get("Reference"), "number": record.get(number_key),
            "currency": record.get("CurrencyCode"), "currency_rate": None,
            "amounts": AMOUNTS_BACK.get(str(record.get("LineAmountTypes") or "").upper(), "exclusive"),
            "url": record.get("Url"), "branding_theme_id": record.get("BrandingThemeID"),
            "title": record.get("Title"), "summary": record.get("Summary"), "terms": record.get("Terms"),
            "status": record.get("Status"), "archived": False,
            "lines": [{"description": line.get("Description"), "quantity": line.get("Quantity"),
                       "unit_amount": line.get("UnitAmount"), "item_code": line.get("ItemCode"),
                       "account_code": line.get("AccountCode"), "tax_type": line.get("TaxType"),
                       "discount_rate": line.get("DiscountRate"), "line_item_id": line.get("LineItemID"),
                       "tracking": [{"name": t.get("Name"), "option": t.get("Option")}
                                    for t in line.get("Tracking") or []]}
                      for line in record.get("LineItems") or []],
        }

    def to_xero(self, values, groups=None, create=True):
        """The document to write; an update carries its id (and each kept line its LineItemID,
        set by the caller: lines left out of an update are deleted by Xero)."""
        payload = invoice.to_invoice(values) if self.kind == "invoice" else invoice.to_quote(values)
        if values.get("xero_id"):
            payload["InvoiceID" if self.kind == "invoice" else "QuoteID"] = values["xero_id"]
        if self.kind == "invoice" and not create:
            # An update leaves the status as Xero has it (finance may have moved it since).
            payload.pop("Status", None)
        if self.kind == "quote" and not create:
            # A quote updated without Contact and Date is refused; they are in the payload already.
            payload.setdefault("Date", values.get("date"))
        return payload

    def problems(self, values):
        return invoice.problems(values, self.kind)


INVOICES = DocumentMapper("invoice")
QUOTES = DocumentMapper("quote")


def keep_line_ids(values, current):
    """``values`` with each line given the LineItemID of the line at the same place in the
    document as Xero has it (``current``): an update resends every line it keeps, and the
    lines beyond the document's are new ones."""
    ids = [line.get("LineItemID") for line in (current or {}).get("LineItems") or []]
    lines = [dict(line, line_item_id=ids[index]) if index < len(ids) else dict(line)
             for index, line in enumerate(values.get("lines") or [])]
    return dict(values, lines=lines)


def _amount(record, key):
    value = record.get(key)
    return float(value) if value is not None else 0.0


def facts(record):
    """What Xero alone knows of a document, for the link and the order: status, number,
    totals, amounts due / paid / credited, dates of payment, sent to the customer."""
    return {
        "status": record.get("Status"),
        "number": record.get("InvoiceNumber") or record.get("QuoteNumber"),
        "sub_total": _amount(record, "SubTotal"), "total_tax": _amount(record, "TotalTax"),
        "total": _amount(record, "Total"),
        "amount_due": _amount(record, "AmountDue"), "amount_paid": _amount(record, "AmountPaid"),
        "amount_credited": _amount(record, "AmountCredited"),
        "due_date": _text_date(record, "DueDate"),
        "fully_paid_date": _text_date(record, "FullyPaidOnDate"),
        "expected_payment_date": _text_date(record, "ExpectedPaymentDate"),
        "sent_to_contact": bool(record.get("SentToContact")),
    }


def is_settled(status, amount_due):
    """Paid, or nothing left to pay on an approved invoice: credit notes settle without being
    payments (Xero's AmountPaid leaves them out; AmountDue does not)."""
    return status == SETTLED or (status == "AUTHORISED" and amount_due is not None and round(amount_due, 2) == 0)
