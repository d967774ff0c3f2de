"""Payments and credit notes in the fake Xero, over real HTTP through xero-python: what they
change on their invoice (AmountDue, AmountPaid, AmountCredited, PAID and FullyPaidOnDate,
UpdatedDateUTC), Xero's rules with its messages, deletion, reads, and the helpers that do what a
Xero user does (``fx.pay_invoice``, ``fx.delete_payment``, ``fx.credit_invoice``). Every request
must match Xero's OpenAPI description and every 2xx answer its schema (``on_spec``).
"""
import datetime

import pytest
from sales import invoice, line, messages, refused, send
from xero_python.exceptions import AccountingBadRequestException, ApiException

pytestmark = pytest.mark.usefixtures("on_spec")

MAY = datetime.date(2024, 5, 1)


@pytest.fixture
def due(fx, bob):
    """An AUTHORISED invoice of 115.00 (100 + 15% tax), INV-0001."""
    return fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=100), Status="AUTHORISED"))["InvoiceID"]


def pay(sdk, fx, *payments, **kw):
    return sdk.accounting.create_payments(fx.tid, {"Payments": list(payments)}, **kw).payments


def payment(invoice_id, amount, day="2024-06-01", **fields):
    return dict({"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"}, "Amount": amount,
                 "Date": day}, **fields)


def read(sdk, fx, invoice_id):
    return sdk.accounting.get_invoice(fx.tid, invoice_id).invoices[0]


# -- payments -------------------------------------------------------------------------------------

def test_payments_settle_the_invoice_and_deleting_one_reopens_it(fx, sdk, due, clock):
    before = read(sdk, fx, due)
    clock.advance(5)
    [first] = pay(sdk, fx, payment(due, 40, "2024-06-01", Reference="Deposit"), summarize_errors=False)
    assert (first.status, first.payment_type, float(first.amount), first.reference) == (
        "AUTHORISED", "ACCRECPAYMENT", 40, "Deposit")
    assert first.date == datetime.date(2024, 6, 1) and first.account.code == "090"
    assert str(first.invoice.invoice_id) == due and first.invoice.invoice_number == "INV-0001"
    part = read(sdk, fx, due)
    assert (part.status, float(part.amount_paid), float(part.amount_due)) == ("AUTHORISED", 40, 75)
    assert part.fully_paid_on_date is None and part.updated_date_utc > before.updated_date_utc
    clock.advance(5)
    second = sdk.accounting.create_payment(fx.tid, payment(due, 75, "2024-06-15")).payments[0]
    paid = read(sdk, fx, due)
    assert (paid.status, float(paid.amount_paid), float(paid.amount_due)) == ("PAID", 115, 0)
    assert paid.fully_paid_on_date == datetime.date(2024, 6, 15)
    assert [(str(p.payment_id), float(p.amount)) for p in paid.payments] == [
        (str(first.payment_id), 40), (str(second.payment_id), 75)]

    clock.advance(5)
    since = clock.utcnow()
    clock.advance(1)
    deleted = sdk.accounting.delete_payment(fx.tid, second.payment_id, {"Status": "DELETED"}).payments[0]
    assert deleted.status == "DELETED"
    reopened = read(sdk, fx, due)
    assert (reopened.status, float(reopened.amount_due), reopened.fully_paid_on_date) == ("AUTHORISED", 75, None)
    assert [str(p.payment_id) for p in reopened.payments] == [str(first.payment_id)]
    # A reader polling payments sees the deletion, and the invoice it reopened.
    changed = sdk.accounting.get_payments(fx.tid, if_modified_since=since).payments
    assert [(str(p.payment_id), p.status) for p in changed] == [(str(second.payment_id), "DELETED")]
    assert [str(i.invoice_id) for i in sdk.accounting.get_invoices(fx.tid, if_modified_since=since).invoices] == [due]
    with pytest.raises(AccountingBadRequestException) as err:
        sdk.accounting.delete_payment(fx.tid, second.payment_id, {"Status": "DELETED"})
    assert refused(err) == [["This payment has already been deleted."]]


def test_payment_rules_with_their_messages(fx, sdk, bob, due):
    draft = fx.add_invoice(fx.tid, invoice(bob))["InvoiceID"]
    missing = "00000000-0000-0000-0000-000000000000"
    cases = [
        ({"Account": {"Code": "090"}, "Amount": 1, "Date": "2024-06-01"},
         "You must specify an Invoice ID or Invoice Number for the payment"),
        (payment(missing, 1), "The invoice %s could not be found." % missing),
        (payment(due, 1, Account={"Code": "200"}),
         "Account 200 is not a bank account and does not have payments enabled: it cannot receive payments."),
        (dict(payment(due, 1), Account={}), "You must specify an Account Code or Account ID for the payment."),
        (payment(draft, 1), "Payments can only be made against Authorised documents"),
        (payment(due, 115.01), "Payment amount exceeds the amount outstanding on this document"),
        (payment(due, 0), "The payment amount must be greater than zero."),
    ]
    answer = pay(sdk, fx, *[body for body, _ in cases], summarize_errors=False)
    assert [messages(p) for p in answer] == [[expected] for _, expected in cases]
    assert all(p.has_validation_errors and p.status_attribute_string == "ERROR" for p in answer)
    assert answer[1].date == datetime.date(2024, 6, 1)          # a failed payment answered in Xero's shape
    assert len(fx.tenant(fx.tid).payments) == 0 and read(sdk, fx, due).amount_paid == 0
    with pytest.raises(AccountingBadRequestException) as err:
        pay(sdk, fx, payment(due, 10), payment(due, 200))
    assert refused(err) == [["Payment amount exceeds the amount outstanding on this document"]]
    assert len(fx.tenant(fx.tid).payments) == 0                 # all or nothing


def test_by_invoice_number_account_id_and_in_a_foreign_currency(fx, sdk, bob):
    usd = fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=100), Status="AUTHORISED", CurrencyCode="USD",
                                         CurrencyRate=0.6))
    bank = fx.tenant(fx.tid).accounts.account("090")["AccountID"]
    [by_number] = pay(sdk, fx, {"Invoice": {"InvoiceNumber": "INV-0001"}, "Account": {"AccountID": bank},
                                "Amount": 60, "Date": "2024-06-01"})
    assert (float(by_number.currency_rate), float(by_number.bank_amount)) == (0.6, 100)
    [top_level] = pay(sdk, fx, {"InvoiceNumber": "inv-0001", "Account": {"Code": "090"}, "Amount": 55,
                                "Date": "2024-06-02"})
    assert fx.invoice(fx.tid, usd["InvoiceID"])["Status"] == "PAID" and top_level.invoice.invoice_number == "INV-0001"


def test_a_payment_dated_in_a_locked_period_is_refused(fx, sdk, due):
    fx.set_lock_dates(fx.tid, period=datetime.date(2024, 6, 30))
    [answer] = pay(sdk, fx, payment(due, 10, "2024-06-30"), summarize_errors=False)
    assert messages(answer) == ["The document date cannot be before the period lock date, currently set at 30-Jun-2024"]
    assert pay(sdk, fx, payment(due, 10, "2024-07-01"))[0].status == "AUTHORISED"


def test_a_payment_only_changes_by_deletion(fx, sdk, token, due):
    [made] = pay(sdk, fx, payment(due, 10))
    status, answer = send(fx, token, "POST", "/Payments/%s" % made.payment_id, {"Status": "AUTHORISED"})
    assert status == 400 and answer["Elements"][0]["ValidationErrors"][0]["Message"] == (
        "A payment cannot be changed, only deleted (Status DELETED).")
    with pytest.raises(ApiException) as err:
        sdk.accounting.delete_payment(fx.tid, "00000000-0000-0000-0000-000000000000", {"Status": "DELETED"})
    assert err.value.status == 404
    assert sdk.accounting.get_payment(fx.tid, made.payment_id).payments[0].status == "AUTHORISED"


def test_payments_list_paged_filtered_and_ordered(fx, sdk, bob):
    for n in range(120):
        fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=n + 1), Status="AUTHORISED"))
        fx.pay_invoice(fx.tid, "INV-%04d" % (n + 1), amount=1, date=MAY + datetime.timedelta(days=n))
    acc = sdk.accounting
    pages = [acc.get_payments(fx.tid, page=p) for p in (1, 2)]
    assert [len(p.payments) for p in pages] == [100, 20] and pages[0].pagination.item_count == 120
    assert pages[0].payments[0].date == MAY                              # listed by Date
    assert len(acc.get_payments(fx.tid, page=1, page_size=500).payments) == 120
    assert len(acc.get_payments(fx.tid).payments) == 120
    assert [float(p.amount) for p in acc.get_payments(fx.tid, where="Amount>0", order="Date DESC").payments][:1] == [1]
    assert acc.get_payments(fx.tid, where='Status=="DELETED"').payments == []


def test_the_helpers_pay_and_delete_as_a_xero_user(fx, bob, due, clock):
    before = fx.invoice(fx.tid, due)["UpdatedDateUTC"]
    clock.advance(5)
    paid = fx.pay_invoice(fx.tid, "INV-0001", date=datetime.date(2024, 6, 3))
    settled = fx.invoice(fx.tid, due)
    assert paid["Amount"] == 115 and settled["Status"] == "PAID" and settled["AmountDue"] == 0
    assert settled["FullyPaidOnDate"] == "/Date(1717372800000+0000)/" and settled["UpdatedDateUTC"] != before
    assert fx.delete_payment(fx.tid, paid["PaymentID"])["Status"] == "DELETED"
    assert fx.invoice(fx.tid, due)["Status"] == "AUTHORISED" and "FullyPaidOnDate" not in fx.invoice(fx.tid, due)
    draft = fx.add_invoice(fx.tid, invoice(bob))["InvoiceID"]
    with pytest.raises(ValueError) as err:
        fx.pay_invoice(fx.tid, draft, amount=1)
    assert str(err.value) == "Payments can only be made against Authorised documents"
    with pytest.raises(KeyError):
        fx.pay_invoice(fx.tid, "INV-9999")
    with pytest.raises(KeyError):
        fx.delete_payment(fx.tid, "00000000-0000-0000-0000-000000000000")


def test_a_zero_invoice_is_paid_when_approved(fx, bob):
    zero = fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=0), Status="AUTHORISED"))
    assert (zero["Status"], zero["AmountDue"], zero["FullyPaidOnDate"]) == ("PAID", 0, zero["Date"])


# -- credit notes -----------------------------------------------------------------------------------

def credit_note(contact_id, amount, **fields):
    return dict({"Type": "ACCRECCREDIT", "Contact": {"ContactID": contact_id}, "Date": "2024-06-01",
                 "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
                 "LineItems": [line(UnitAmount=amount)]}, **fields)


def test_credit_allocated_to_an_invoice_settles_it(fx, sdk, bob, due):
    acc = sdk.accounting
    [note] = acc.create_credit_notes(fx.tid, {"CreditNotes": [credit_note(bob, 100)]}, unitdp=4,
                                     summarize_errors=False).credit_notes
    assert (note.credit_note_number, note.status, float(note.total), float(note.remaining_credit)) == (
        "CN-0001", "AUTHORISED", 115, 115)
    assert note.type == "ACCRECCREDIT"
    allocation = {"Invoice": {"InvoiceID": due}, "Amount": 15, "Date": "2024-06-05"}
    [made] = acc.create_credit_note_allocation(fx.tid, note.credit_note_id, {"Allocations": [allocation]}).allocations
    assert float(made.amount) == 15 and made.date == datetime.date(2024, 6, 5)
    part = read(sdk, fx, due)
    assert (float(part.amount_credited), float(part.amount_due), float(part.amount_paid)) == (15, 100, 0)
    assert [(c.credit_note_number, float(c.applied_amount)) for c in part.credit_notes] == [("CN-0001", 15)]
    fx.pay_invoice(fx.tid, due, amount=60, date=datetime.date(2024, 6, 2))
    [rest] = acc.create_credit_note_allocation(fx.tid, note.credit_note_id, {"Allocations": [
        dict(allocation, Amount=40)]}, summarize_errors=False).allocations
    settled = read(sdk, fx, due)
    assert (settled.status, float(settled.amount_due), float(settled.amount_credited), float(settled.amount_paid)) == (
        "PAID", 0, 55, 60)
    assert settled.fully_paid_on_date == datetime.date(2024, 6, 5)
    after = acc.get_credit_note(fx.tid, note.credit_note_id).credit_notes[0]
    assert float(after.remaining_credit) == 60 and after.status == "AUTHORISED" and len(after.allocations) == 2
    # Nothing is owed any more, and the invoice cannot be voided.
    [too_much] = acc.create_credit_note_allocation(fx.tid, note.credit_note_id, {"Allocations": [
        dict(allocation, Amount=1)]}, summarize_errors=False).allocations
    assert messages(too_much) == ["Credit can only be allocated to an AUTHORISED invoice.",
                                  "Payment amount exceeds the amount outstanding on this document"]
    [voided] = acc.update_or_create_invoices(fx.tid, {"Invoices": [{"InvoiceID": due, "Status": "VOIDED"}]},
                                             summarize_errors=False, unitdp=4).invoices
    assert messages(voided) == ["This document cannot be edited as it has a payment or credit note allocated to it."]
    assert str(rest.invoice.invoice_id) == due


def test_allocation_rules(fx, sdk, bob, due):
    acc = sdk.accounting
    draft_note = acc.create_credit_notes(fx.tid, {"CreditNotes": [credit_note(bob, 10, Status="DRAFT")]},
                                         unitdp=4).credit_notes[0]
    note = acc.create_credit_notes(fx.tid, {"CreditNotes": [credit_note(bob, 10)]}, unitdp=4).credit_notes[0]
    usd = fx.add_invoice(fx.tid, invoice(bob, Status="AUTHORISED", CurrencyCode="USD"))["InvoiceID"]
    body = {"Invoice": {"InvoiceID": due}, "Amount": 5, "Date": "2024-06-05"}
    [answer] = acc.create_credit_note_allocation(fx.tid, draft_note.credit_note_id, {"Allocations": [body]},
                                                 summarize_errors=False).allocations
    assert messages(answer) == ["Only an AUTHORISED credit note can be allocated."]
    answers = acc.create_credit_note_allocation(fx.tid, note.credit_note_id, {"Allocations": [
        dict(body, Amount=11.51), dict(body, Invoice={"InvoiceID": usd})]}, summarize_errors=False).allocations
    assert [messages(a) for a in answers] == [
        ["The amount allocated exceeds the remaining credit on the credit note."],
        ["The credit note and the invoice must be in the same currency."]]
    with pytest.raises(ApiException) as err:
        acc.create_credit_note_allocation(fx.tid, "00000000-0000-0000-0000-000000000000", {"Allocations": [body]})
    assert err.value.status == 404
    assert len(fx.tenant(fx.tid).allocations) == 0


def test_credit_notes_list_paged_and_the_credit_helper(fx, sdk, bob, due):
    acc = sdk.accounting
    note = fx.credit_invoice(fx.tid, "INV-0001", date=datetime.date(2024, 6, 9))
    assert (note["Status"], note["RemainingCredit"], note["Total"], note["CreditNoteNumber"]) == (
        "PAID", 0, 115, "CN-0001")
    settled = fx.invoice(fx.tid, due)
    assert (settled["Status"], settled["AmountDue"], settled["AmountCredited"], settled["AmountPaid"]) == (
        "PAID", 0, 115, 0)
    assert settled["FullyPaidOnDate"] == "/Date(1717891200000+0000)/"
    acc.create_credit_notes(fx.tid, {"CreditNotes": [credit_note(bob, n + 1, Status="DRAFT") for n in range(104)]},
                            unitdp=4)
    pages = [acc.get_credit_notes(fx.tid, page=p) for p in (1, 2)]
    assert [len(p.credit_notes) for p in pages] == [100, 5] and pages[1].pagination.page_count == 2
    assert acc.get_credit_notes(fx.tid, where='Status=="PAID"').credit_notes[0].credit_note_number == "CN-0001"
    other = fx.add_invoice(fx.tid, invoice(bob, Status="AUTHORISED"))["InvoiceID"]
    with pytest.raises(ValueError) as err:
        fx.credit_invoice(fx.tid, other, amount=20)
    assert str(err.value) == "Payment amount exceeds the amount outstanding on this document"
    assert len(fx.tenant(fx.tid).credit_notes) == 105              # the refused credit left no note behind
