"""A customer's Xero sales invoices and credit notes as the receivables mirror keeps them.

Read-only: Xero owns these documents (those Odoo sent and those made in Xero alike). A credit
note counts against what the customer owes by the credit it still holds (RemainingCredit);
amounts are in the document's currency, with Xero's CurrencyRate (units of it per unit of the
organisation's base currency) to bring them to the base currency.
"""
from . import document

KINDS = {"invoice": ("InvoiceID", "InvoiceNumber", "ACCREC"),
         "credit_note": ("CreditNoteID", "CreditNoteNumber", "ACCRECCREDIT")}
# What owes or has owed: a draft is not a receivable yet; voided and deleted ones are kept to
# say so (a document that was owing no longer is).
LIVE = ("AUTHORISED", "PAID")
GROUPS = {}  # read-only: no field group is ever merged or sent


def group_hashes(values):
    return {}


def _amount(record, key):
    value = record.get(key)
    return float(value) if value is not None else 0.0


def from_xero(record, kind):
    """The mirror's values of one Xero document of ``kind`` ("invoice" or "credit_note")."""
    id_field, number_field, _type = KINDS[kind]
    payments = [(document._text_date(p, "Date"), _amount(p, "Amount")) for p in record.get("Payments") or []
                if p.get("Status", "AUTHORISED") != "DELETED"]
    days = [day for day, _amount_paid in payments if day]
    facts = document.facts(record)
    if kind == "credit_note":
        # What it still holds for the customer is what it takes off what they owe.
        amount_due = _amount(record, "RemainingCredit")
        amount_paid = round(facts["total"] - amount_due, 2)
    else:
        amount_due, amount_paid = facts["amount_due"], facts["amount_paid"]
    return {
        "xero_invoice_id": record.get(id_field), "kind": kind, "number": record.get(number_field),
        "reference": record.get("Reference"), "status": record.get("Status"),
        "contact_id": (record.get("Contact") or {}).get("ContactID"),
        "currency": record.get("CurrencyCode"), "currency_rate": _amount(record, "CurrencyRate") or 1.0,
        "date": document._text_date(record, "Date"), "due_date": facts["due_date"],
        "fully_paid_date": facts["fully_paid_date"], "expected_payment_date": facts["expected_payment_date"],
        "total": facts["total"], "amount_due": amount_due, "amount_paid": amount_paid,
        "amount_credited": facts["amount_credited"],
        "last_payment_date": max(days) if days else None, "payment_count": len(payments),
        "payments": "\n".join("%s  %.2f" % (day or "", amount) for day, amount in sorted(payments, key=str)),
    }


def type_filter(kind):
    """The ``where`` of a kind's sales documents (bills and supplier credits are not receivables)."""
    return 'Type=="%s"' % KINDS[kind][2]
