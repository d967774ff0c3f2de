"""What is owed on a document, as Xero derives it from what is allocated to it: one place for the
read-only fields of the spec's Invoice (A:22455-22507) and CreditNote.

- An invoice's ``Payments[]`` and ``CreditNotes[]`` (each with the amount applied to it) give
  AmountPaid (payments only), AmountCredited (credit notes; pre- and overpayments are not
  modelled) and AmountDue = Total - AmountPaid - AmountCredited; a VOIDED or DELETED invoice
  owes nothing.
- An AUTHORISED invoice whose AmountDue reaches 0 becomes PAID, with FullyPaidOnDate the date
  of the allocation that settled it (an approved invoice of total 0 is paid on its own date);
  a PAID invoice owing again (a payment deleted) goes back to AUTHORISED without it. PAID is
  never set by a client.
- A credit note's ``Allocations[]`` give its RemainingCredit; an AUTHORISED credit note fully
  allocated becomes PAID.

Each function changes the record given (a new dict the caller is about to store) and returns it.
"""
from . import money
from .shapes import parse_ms_date


def _allocations(record):
    """(amount, /Date/) of each payment and credit note allocated to an invoice."""
    return ([(p.get("Amount"), p.get("Date")) for p in record.get("Payments") or ()]
            + [(c.get("AppliedAmount"), c.get("Date")) for c in record.get("CreditNotes") or ()])


def settle_invoice(record):
    paid = sum((money.dec(p.get("Amount")) for p in record.get("Payments") or ()), money.ZERO)
    credited = sum((money.dec(c.get("AppliedAmount")) for c in record.get("CreditNotes") or ()), money.ZERO)
    status = record.get("Status")
    total = money.dec(record.get("Total") or 0)
    due = money.ZERO if status in ("VOIDED", "DELETED") else total - paid - credited
    record.update(AmountDue=money.number(due), AmountPaid=money.number(paid), AmountCredited=money.number(credited))
    if status == "AUTHORISED" and due <= 0 <= total:
        record["Status"] = "PAID"
        record["FullyPaidOnDate"] = _last_date(_allocations(record)) or record.get("Date")
    elif status == "PAID" and due > 0:
        record["Status"] = "AUTHORISED"
    if record["Status"] != "PAID":
        record.pop("FullyPaidOnDate", None)
    return record


def settle_credit_note(record):
    allocated = sum((money.dec(a.get("Amount")) for a in record.get("Allocations") or ()), money.ZERO)
    status = record.get("Status")
    remaining = money.ZERO if status in ("VOIDED", "DELETED") else money.dec(record.get("Total") or 0) - allocated
    record["RemainingCredit"] = money.number(remaining)
    if status == "AUTHORISED" and remaining <= 0:
        record["Status"] = "PAID"
        record["FullyPaidOnDate"] = _last_date([(a.get("Amount"), a.get("Date"))
                                                for a in record.get("Allocations") or ()]) or record.get("Date")
    elif status == "PAID" and remaining > 0:
        record["Status"] = "AUTHORISED"
    if record["Status"] != "PAID":
        record.pop("FullyPaidOnDate", None)
    return record


def is_allocated(record):
    """Whether payments or credit notes are allocated to the invoice (or the credit note is
    allocated): Xero then refuses edits that change its total, and voiding it."""
    return bool(record.get("Payments") or record.get("CreditNotes") or record.get("Allocations"))


def _last_date(allocations):
    """The latest /Date/ of (amount, /Date/) pairs, or None."""
    known = [d for _, d in allocations if d]
    return max(known, key=lambda d: parse_ms_date(d) or 0) if known else None
