"""The client's sales collections against the fake Xero over real HTTP: invoices (written with
unitdp=4, read page by page with Statuses and If-Modified-Since), quotes (neither unitdp nor
pageSize: the SDK has neither), payments and their deletion, credit notes, e-mailing an invoice
and its online address. Every request must match Xero's OpenAPI description. The invoice
payloads are the mapper's (``xero.mappers.invoice``), so its totals are checked against the fake's.
Fixtures ``clock`` and ``fake``: conftest.py.
"""
import time
from decimal import Decimal

import pytest
from connection import make_client

from xero.batch import WriteItem
from xero.errors import ValidationError
from xero.mappers import contact, invoice
from xero_sandbox import spec

LINES = [{"description": "Beans", "quantity": 1, "unit_amount": price, "account_code": "200", "tax_type": "OUTPUT2"}
         for price in (25.06, 25.61, 25.63)]


def valid_against_spec(fake):
    """Every request matches Xero's OpenAPI description, every 2xx answer its schema."""
    if not spec.spec_available():
        return
    assert spec.validate_all(fake.requests) > 0
    for rec in fake.requests:
        if rec.status and 200 <= rec.status < 300:
            spec.validate_response(rec)


def sent(rec, name):
    return [v.lower() for v in rec.query.get(name, [])]


@pytest.fixture
def client(fake, clock):
    return make_client(fake, clock)


@pytest.fixture
def customer(client):
    [made] = client.save("Contacts", [WriteItem("bob", contact.to_xero({"name": "Bob Ltd", "email": "bob@x.io"}))])
    return made.xero_id


def values(contact_id, **extra):
    return dict({"contact_id": contact_id, "date": "2024-05-01", "due_date": "2024-05-31", "status": "AUTHORISED",
                 "lines": LINES}, **extra)


def invoices(contact_id, n, **extra):
    return [WriteItem(("sale.order", i), invoice.to_invoice(values(contact_id, **extra)), "v1") for i in range(n)]


def test_invoices_go_with_unitdp_4_and_xeros_totals_are_the_mappers(client, fake, customer):
    four = values(customer, lines=[dict(LINES[0], unit_amount=12.3456)])
    batch = invoices(customer, 2) + [WriteItem("four", invoice.to_invoice(four)),
                                     WriteItem("bad", invoice.to_invoice(values(customer, due_date=None)))]
    results = client.save("Invoices", batch, create_only=True)
    assert [r.ok for r in results] == [True, True, True, False]
    assert results[3].errors == ["The document DueDate field must be specified."]
    put = [r for r in fake.requests if r.method == "PUT"][-1]
    assert sent(put, "unitdp") == ["4"] and sent(put, "summarizeErrors") == ["false"]
    assert results[0].data["InvoiceNumber"] == "INV-0001" and results[0].data["Status"] == "AUTHORISED"
    subtotal, tax, total = invoice.totals(LINES, {"OUTPUT2": 15})
    answered = results[0].data
    assert (Decimal(str(answered["SubTotal"])), Decimal(str(answered["TotalTax"])), Decimal(str(answered["Total"]))) \
        == (subtotal, tax, total) == (Decimal("76.30"), Decimal("11.44"), Decimal("87.74"))
    [read] = list(client.iter_records("Invoices", ids=[results[2].xero_id]))
    assert read["LineItems"][0]["UnitAmount"] == 12.3456, "read with unitdp=4, page by page: lines included"
    valid_against_spec(fake)


def test_a_pull_by_statuses_and_modified_since_sees_what_payments_changed(client, fake, clock, customer):
    results = client.save("Invoices", invoices(customer, 120), create_only=True)
    assert all(r.ok for r in results)
    fake.reset_requests()
    assert len(list(client.iter_records("Invoices", statuses=["AUTHORISED", "PAID"], page_size=100))) == 120
    gets = [r for r in fake.requests if r.method == "GET"]
    assert [r.query["page"] for r in gets] == [["1"], ["2"]] and gets[0].query["pageSize"] == ["100"]
    assert gets[0].query["Statuses"] == ["AUTHORISED,PAID"]
    time.sleep(1.1)
    mark = clock.utcnow().replace(microsecond=0)
    time.sleep(1.1)
    fake.pay_invoice(fake.tenant_id, results[7].xero_id)
    fake.pay_invoice(fake.tenant_id, results[9].xero_id, amount=10)
    paid = list(client.iter_records("Invoices", modified_since=mark, statuses=["PAID"]))
    assert [i["InvoiceNumber"] for i in paid] == ["INV-0008"] and paid[0]["AmountDue"] == 0
    changed = list(client.iter_records("Invoices", modified_since=mark, summary_only=True))
    assert sorted(i["InvoiceNumber"] for i in changed) == ["INV-0008", "INV-0010"]
    assert "LineItems" not in changed[0]
    payments = list(client.iter_records("Payments", modified_since=mark))
    assert sorted(p["Amount"] for p in payments) == [10, 87.74]
    valid_against_spec(fake)


def test_payments_are_put_and_deleted(client, fake, customer):
    [made] = client.save("Invoices", invoices(customer, 1), create_only=True)
    payment = {"Invoice": {"InvoiceID": made.xero_id}, "Account": {"Code": "090"}, "Amount": 87.74,
               "Date": "2024-06-01"}
    results = client.save("Payments", [WriteItem("pay", payment), WriteItem("once paid", dict(payment, Amount=1))])
    assert [r.ok for r in results] == [True, False]
    assert results[1].errors == ["Payments can only be made against Authorised documents"]
    assert [(r.method, sent(r, "summarizeErrors")) for r in fake.requests if "Payments" in r.path] == [
        ("PUT", ["false"])]
    assert fake.invoice(fake.tenant_id, made.xero_id)["Status"] == "PAID"
    deleted = client.delete_payment(results[0].xero_id)
    assert deleted["Status"] == "DELETED" and fake.invoice(fake.tenant_id, made.xero_id)["Status"] == "AUTHORISED"
    assert [p["Status"] for p in client.iter_records("Payments")] == ["DELETED"]
    valid_against_spec(fake)


def test_an_invoice_is_emailed_once_even_when_the_answer_is_lost(client, fake, customer):
    draft, approved = (r.xero_id for r in client.save("Invoices", [
        WriteItem("draft", invoice.to_invoice(values(customer, status="DRAFT"))),
        WriteItem("approved", invoice.to_invoice(values(customer)))], create_only=True))
    with pytest.raises(ValidationError) as err:
        client.email_invoice(draft)
    assert str(err.value) == ("The invoice must be of Type ACCREC and a valid Status for sending "
                              "(SUBMITTED, AUTHORISED or PAID).")
    fake.faults.add("lost_response", path="/api.xro/2.0/Invoices/%s/Email" % approved, method="POST")
    assert client.email_invoice(approved) is None
    emails = [r for r in fake.requests if r.path.endswith("/Email")]
    assert len(emails) == 3 and emails[1].headers["Idempotency-Key"] == emails[2].headers["Idempotency-Key"]
    assert fake.emails_sent(fake.tenant_id, approved) == 1, "the retry replayed the first answer"
    client.email_invoice(approved)
    assert fake.emails_sent(fake.tenant_id, approved) == 2, "calling again sends again"
    assert client.online_invoice_url(approved).startswith("https://in.xero.com/")
    with pytest.raises(ValidationError):
        client.online_invoice_url(draft)
    valid_against_spec(fake)


def test_quotes_go_without_unitdp_and_read_without_page_size(client, fake, customer):
    quote = invoice.to_quote(dict(values(customer, status="DRAFT"), lines=[dict(LINES[0], unit_amount=10.12345)]))
    results = client.save("Quotes", [WriteItem(i, quote) for i in range(3)], create_only=True)
    assert [r.data["QuoteNumber"] for r in results] == ["QU-0001", "QU-0002", "QU-0003"]
    first = results[0].data
    assert first["LineItems"][0]["UnitAmount"] == 10.1235 and first["LineAmountTypes"] == "EXCLUSIVE"
    put = [r for r in fake.requests if r.method == "PUT"][-1]
    assert "unitdp" not in put.query and sent(put, "summarizeErrors") == ["false"]
    assert [q["QuoteNumber"] for q in client.iter_records("Quotes", status="DRAFT", contact_id=customer)] == [
        "QU-0001", "QU-0002", "QU-0003"]
    last = [r for r in fake.requests if r.method == "GET"][-1]
    assert last.query["page"] == ["1"] and "pageSize" not in last.query
    assert [q["QuoteID"] for q in client.iter_records("Quotes", ids=[results[1].xero_id])] == [results[1].xero_id]
    with pytest.raises(ValueError):
        list(client.iter_records("Quotes", statuses=["DRAFT"]))
    valid_against_spec(fake)


def test_credit_notes_are_written_and_read(client, fake, customer):
    note = dict(invoice.to_invoice(values(customer)), Type="ACCRECCREDIT")
    [made] = client.save("CreditNotes", [WriteItem("credit", note)], create_only=True)
    assert made.ok and made.data["CreditNoteNumber"] == "CN-0001" and made.data["RemainingCredit"] == 87.74
    assert [n["CreditNoteID"] for n in client.iter_records("CreditNotes")] == [made.xero_id]
    valid_against_spec(fake)
