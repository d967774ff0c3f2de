"""The receivables mirror's values of Xero's sales invoices and credit notes."""
import datetime

from xero import where
from xero.mappers import receivable

CONTACT = "7b5b4a6e-1d2c-4b0a-9a8e-2f3c4d5e6f70"
INVOICE = {"InvoiceID": "i-1", "InvoiceNumber": "INV-0001", "Type": "ACCREC", "Status": "AUTHORISED",
           "Contact": {"ContactID": CONTACT}, "DateString": "2026-10-01T00:00:00",
           "DueDateString": "2026-10-31T00:00:00",
           "CurrencyCode": "USD", "CurrencyRate": 0.6, "Total": 120.0, "AmountDue": 70.0, "AmountPaid": 50.0,
           "AmountCredited": 0.0,
           "Payments": [{"PaymentID": "p-2", "Date": "/Date(1764460800000+0000)/", "Amount": 30.0},
                        {"PaymentID": "p-1", "Date": "/Date(1762041600000+0000)/", "Amount": 20.0}]}
NOTE = {"CreditNoteID": "c-1", "CreditNoteNumber": "CN-0001", "Type": "ACCRECCREDIT", "Status": "AUTHORISED",
        "Contact": {"ContactID": CONTACT}, "DateString": "2026-11-01T00:00:00", "Total": 40.0,
        "RemainingCredit": 15.0, "CurrencyCode": "NZD", "CurrencyRate": 1.0}


def test_an_invoice_with_its_payments():
    row = receivable.from_xero(INVOICE, "invoice")
    assert (row["xero_invoice_id"], row["number"], row["contact_id"]) == ("i-1", "INV-0001", CONTACT)
    assert (row["date"], row["due_date"], row["currency"], row["currency_rate"]) == (
        "2026-10-01", "2026-10-31", "USD", 0.6)
    assert (row["amount_due"], row["amount_paid"], row["payment_count"]) == (70.0, 50.0, 2)
    assert row["last_payment_date"] == "2025-11-30"
    assert row["payments"].splitlines() == ["2025-11-02  20.00", "2025-11-30  30.00"]


def test_a_credit_note_owes_what_it_still_holds():
    row = receivable.from_xero(NOTE, "credit_note")
    assert (row["xero_invoice_id"], row["kind"], row["amount_due"], row["amount_paid"]) == ("c-1", "credit_note",
                                                                                          15.0, 25.0)
    assert row["payment_count"] == 0 and row["last_payment_date"] is None


def test_only_sales_documents_are_read():
    assert receivable.type_filter("invoice") == 'Type=="ACCREC"'
    assert receivable.type_filter("credit_note") == 'Type=="ACCRECCREDIT"'
    assert where.on_or_after("Date", datetime.date(2023, 12, 1)) == "Date >= DateTime(2023, 12, 1)"
