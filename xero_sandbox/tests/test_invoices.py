"""Invoices in the fake Xero, over real HTTP through xero-python (raw JSON where the SDK cannot
say it): Xero's rules with its messages, totals rounded per line, statuses, lines, numbers,
currencies, lock dates, reads (paging, filters, If-Modified-Since), e-mail and the online
invoice, Idempotency-Key. Every request must match Xero's OpenAPI description and every 2xx
answer its schema (``on_spec``), unless sent inside ``on_spec.off()``.

The organisation is NZ (``chart.py``, ``settings.py``): 200 Sales (OUTPUT2, 15%), 310 Cost of
Goods Sold, 400 Advertising (INPUT2), 090 the bank, 610 Accounts Receivable (DEBTORS), 860
Rounding, 250 an archived revenue account; currencies NZD, AUD, USD; tracking Department (Sales,
Services) and Region (North, South, Central archived); themes Standard and Special Projects.
"""
import datetime

import pytest
from sales import DAY, customer, invoice, line, messages, refused, send
from sandbox_client import Sdk
from xero_python.exceptions import AccountingBadRequestException, ApiException

from xero_sandbox import lines as line_rules

pytestmark = pytest.mark.usefixtures("on_spec")


def put(sdk, fx, *invoices, **kw):
    """PUT /Invoices with ``unitdp=4`` (``unitdp=None``: without)."""
    if kw.setdefault("unitdp", 4) is None:
        del kw["unitdp"]
    return sdk.accounting.create_invoices(fx.tid, {"Invoices": list(invoices)}, **kw).invoices


def post(sdk, fx, *invoices, **kw):
    kw.setdefault("unitdp", 4)
    return sdk.accounting.update_or_create_invoices(fx.tid, {"Invoices": list(invoices)}, **kw).invoices


def one_error(sdk, fx, body):
    """The messages of one invoice refused (summarizeErrors=false: 200, the element failed)."""
    [answer] = put(sdk, fx, body, summarize_errors=False)
    assert answer.has_errors is True and answer.status_attribute_string == "ERROR"
    return messages(answer)


def stored(fx):
    return fx.tenant(fx.tid).invoices


# -- totals -----------------------------------------------------------------------------------

def test_tax_is_rounded_per_line_as_in_xeros_rounding_guide(fx, sdk, bob):
    [made] = put(sdk, fx, invoice(bob, line(UnitAmount=25.06), line(UnitAmount=25.61), line(UnitAmount=25.63),
                                  Status="AUTHORISED"))
    assert [float(i.tax_amount) for i in made.line_items] == [3.76, 3.84, 3.84]
    assert (float(made.sub_total), float(made.total_tax), float(made.total)) == (76.30, 11.44, 87.74)
    assert float(made.amount_due) == 87.74 and float(made.amount_paid) == 0 and float(made.amount_credited) == 0
    # What xero-python makes of the answer: enums, dates, the contact.
    assert made.status == "AUTHORISED" and made.type == "ACCREC" and made.invoice_number == "INV-0001"
    assert made.line_amount_types.value == "Exclusive" and made.currency_code.value == "NZD"
    assert made.date == datetime.date(2024, 5, 1) and made.due_date == datetime.date(2024, 5, 31)
    assert made.updated_date_utc.tzinfo is not None and float(made.currency_rate) == 1.0
    assert str(made.contact.contact_id) == bob and made.contact.name == "Bob Ltd"
    assert made.line_items[0].line_item_id and made.line_items[0].account_id
    themes = fx.tenant(fx.tid).branding_themes
    assert themes[str(made.branding_theme_id)]["Name"] == "Standard"          # the default theme
    kept = stored(fx)[str(made.invoice_id)]
    assert kept["DateString"] == "2024-05-01T00:00:00" and kept["Date"] == "/Date(1714521600000+0000)/"


def test_inclusive_amounts_hold_their_tax_and_notax_has_none(fx, sdk, bob):
    inclusive, three, untaxed = put(
        sdk, fx, invoice(bob, line(UnitAmount=115), LineAmountTypes="Inclusive"),
        invoice(bob, *[line(UnitAmount=10.01)] * 3, LineAmountTypes="Inclusive"),
        invoice(bob, line(UnitAmount=115), LineAmountTypes="NoTax"))
    assert (float(inclusive.sub_total), float(inclusive.total_tax), float(inclusive.total)) == (100, 15, 115)
    # 10.01 holds 1.3057 of tax: 1.31 a line, 3.93 in all, where the total's 30.03 holds 3.92.
    assert (float(three.sub_total), float(three.total_tax), float(three.total)) == (26.10, 3.93, 30.03)
    assert (float(untaxed.total_tax), float(untaxed.total)) == (0, 115)
    assert untaxed.line_amount_types.value == "NoTax" and float(untaxed.line_items[0].tax_amount) == 0


def test_line_amount_and_discounts(fx, sdk, bob):
    [made] = put(sdk, fx, invoice(bob, line(Quantity=3, UnitAmount=9.99, DiscountRate=10),
                                  line(Quantity=2, UnitAmount=5, DiscountAmount=1.5),
                                  line(UnitAmount=-2, Description="Refund")))
    assert [float(i.line_amount) for i in made.line_items] == [26.97, 8.50, -2.0]
    assert [float(i.tax_amount) for i in made.line_items] == [4.05, 1.28, -0.30]
    assert made.is_discounted is True and float(made.total_discount) == 4.50
    assert (float(made.sub_total), float(made.total_tax), float(made.total)) == (33.47, 5.03, 38.50)
    # A LineAmount alone: Quantity 1, the unit amount derived; one that disagrees is refused.
    [derived] = put(sdk, fx, invoice(bob, line(Quantity=None, UnitAmount=None, LineAmount=40)))
    assert (float(derived.line_items[0].quantity), float(derived.line_items[0].unit_amount)) == (1, 40)
    assert one_error(sdk, fx, invoice(bob, line(Quantity=2, UnitAmount=10, LineAmount=25))) == [
        "The line total 25.00 does not match the expected line total of 20.00"]


def test_unit_amounts_keep_four_decimals_only_with_unitdp_4(fx, sdk, bob):
    acc = sdk.accounting
    [four] = put(sdk, fx, invoice(bob, line(UnitAmount=12.3456)))
    [two] = put(sdk, fx, invoice(bob, line(UnitAmount=12.3456)), unitdp=None)
    assert float(four.line_items[0].unit_amount) == 12.3456 and float(two.line_items[0].unit_amount) == 12.35
    assert float(four.line_items[0].line_amount) == float(two.line_items[0].line_amount) == 12.35
    assert stored(fx)[str(four.invoice_id)]["LineItems"][0]["UnitAmount"] == 12.3456
    assert stored(fx)[str(two.invoice_id)]["LineItems"][0]["UnitAmount"] == 12.35
    # Reads show 2 decimals unless asked for 4, and change nothing.
    assert float(acc.get_invoice(fx.tid, four.invoice_id).invoices[0].line_items[0].unit_amount) == 12.35
    assert float(acc.get_invoice(fx.tid, four.invoice_id, unitdp=4).invoices[0].line_items[0].unit_amount) == 12.3456
    assert float(acc.get_invoices(fx.tid, page=1, unitdp=4).invoices[0].line_items[0].unit_amount) == 12.3456
    # Xero's trap: a status-only write without unitdp=4 rounds the stored prices.
    acc.update_invoice(fx.tid, four.invoice_id, {"Invoices": [{"Status": "SUBMITTED"}]})
    assert stored(fx)[str(four.invoice_id)]["LineItems"][0]["UnitAmount"] == 12.35


# -- the request and its elements ---------------------------------------------------------------

def test_line_amount_types_spelled_otherwise_refuse_the_whole_request(fx, sdk, token, bob, on_spec):
    with on_spec.off():                 # the quotes' spelling, which the invoice schema refuses
        status, answer = send(fx, token, "PUT", "/Invoices", {"Invoices": [
            invoice(bob), invoice(bob, LineAmountTypes="EXCLUSIVE")]}, summarizeErrors="false")
    assert status == 400 and answer["Type"] == "PostDataInvalidException" and answer["ErrorNumber"] == 14
    assert "LineAmountTypes" in answer["Message"]
    with on_spec.off():
        status, answer = send(fx, token, "PUT", "/Invoices", {"Invoices": [invoice(bob, Status="SENT")]})
    assert status == 400 and answer["Type"] == "PostDataInvalidException"
    assert len(stored(fx)) == 0


def test_summarize_errors_false_saves_the_good_ones_and_true_saves_none(fx, sdk, bob):
    batch = [invoice(bob), invoice(bob, line(Quantity=-1)), invoice(bob)]
    answer = put(sdk, fx, *batch, summarize_errors=False)
    assert [i.status_attribute_string for i in answer] == ["OK", "ERROR", "OK"]
    assert [i.has_errors for i in answer] == [False, True, False]
    assert messages(answer[1]) == ["The quantity value '-1.0000' is invalid. Quantity must not be less than zero."]
    assert [i.invoice_number for i in answer] == ["INV-0001", None, "INV-0002"] and len(stored(fx)) == 2
    with pytest.raises(AccountingBadRequestException) as err:
        put(sdk, fx, *batch)
    assert refused(err) == [["The quantity value '-1.0000' is invalid. Quantity must not be less than zero."]]
    assert err.value.error_data["Elements"][0]["HasErrors"] is True and len(stored(fx)) == 2
    # The refused batch used no number.
    assert put(sdk, fx, invoice(bob))[0].invoice_number == "INV-0003"


def test_the_contact_must_exist_and_a_name_alone_creates_it(fx, sdk, bob):
    missing = "00000000-0000-0000-0000-000000000000"
    assert one_error(sdk, fx, invoice(bob, Contact=None)) == [
        "A Contact must be specified for this type of transaction"]
    assert one_error(sdk, fx, invoice(missing)) == ["The contact with ContactID %s could not be found." % missing]
    contacts = fx.tenant(fx.tid).contacts
    before = len(contacts)
    [by_name] = put(sdk, fx, invoice(bob, Contact={"Name": "bob ltd"}))       # the active contact of that name
    assert str(by_name.contact.contact_id) == bob and len(contacts) == before
    [created] = put(sdk, fx, invoice(bob, Contact={"Name": "New Customer", "EmailAddress": "new@example.com"}))
    new_id = str(created.contact.contact_id)
    assert contacts[new_id]["Name"] == "New Customer" and contacts[new_id]["EmailAddress"] == "new@example.com"
    assert contacts[new_id]["UpdatedDateUTC"] and len(contacts) == before + 1
    assert sdk.accounting.get_contact(fx.tid, new_id).contacts[0].name == "New Customer"
    # A refused invoice creates no contact; an archived contact takes no invoice.
    assert one_error(sdk, fx, invoice(bob, line(Quantity=-1), Contact={"Name": "Ghost"})) != []
    assert not any(c["Name"] == "Ghost" for c in contacts.values())
    gone = customer(fx, "Gone Ltd", ContactStatus="ARCHIVED")
    assert one_error(sdk, fx, invoice(gone)) == [
        "The contact Gone Ltd is archived and cannot be used on this document."]


@pytest.mark.parametrize("fields, expected", [
    ({"Quantity": -2}, "The quantity value '-2.0000' is invalid. Quantity must not be less than zero."),
    ({"ItemCode": "NOPE"}, "Item code 'NOPE' is not valid for this organisation."),
    ({"AccountCode": "999"}, "Account code '999' is not a valid code for this document."),
    ({"AccountCode": "090"}, "Account code '090' is not a valid code for this document."),     # a bank account
    ({"AccountCode": "610"}, "Account code '610' is not a valid code for this document."),     # a system account
    ({"AccountCode": "250"}, "Account code '250' is not a valid code for this document."),     # archived
    ({"TaxType": "INPUT2"},
     "The TaxType code INPUT2 does not exist or cannot be used for this type of transaction."),
    ({"TaxType": "TAX999"},
     "The TaxType code TAX999 does not exist or cannot be used for this type of transaction."),
    ({"AccountCode": "310", "TaxType": "OUTPUT2"},
     "The TaxType code 'OUTPUT2' cannot be used with account code '310'."),
    ({"Tracking": [{"Name": "Department", "Option": "Sales"}, {"Name": "Region", "Option": "North"},
                   {"Name": "Department", "Option": "Services"}]},
     "A line item can have a maximum of 2 tracking categories."),
    ({"Tracking": [{"Name": "Channel", "Option": "Web"}]},
     "The tracking category Channel does not exist or is not active."),
    ({"Tracking": [{"Name": "Region", "Option": "Central"}]},                                  # archived option
     "The tracking option Central does not exist or is not active in the tracking category Region."),
    ({"Quantity": None, "UnitAmount": None, "Description": " "}, "Description needs to be at least 1 char long"),
])
def test_each_line_rule_with_its_message(fx, sdk, bob, fields, expected):
    assert one_error(sdk, fx, invoice(bob, line(**fields))) == [expected]
    assert len(stored(fx)) == 0


def test_lines_take_what_xero_fills_in(fx, sdk, bob):
    fx.add_item(fx.tid, {"Code": "BEAN-1", "Name": "Beans", "Description": "House blend",
                         "SalesDetails": {"UnitPrice": 18.5, "AccountCode": "4000", "TaxType": "ZERORATED"}})
    region = fx.tenant(fx.tid).tracking_categories.category("Region")
    north = next(o for o in region["Options"] if o["Name"] == "North")
    [made] = put(sdk, fx, invoice(bob, {"ItemCode": "bean-1", "Quantity": 2},
                                  line(AccountCode="860", TaxType=None, Tracking=[
                                      {"TrackingCategoryID": region["TrackingCategoryID"],
                                       "TrackingOptionID": north["TrackingOptionID"]},
                                      {"Name": "department", "Option": "services"}]),
                                  {"Description": "A heading", "ItemCode": "BEAN-1"}))
    item_line, rounding, heading = made.line_items
    assert (item_line.item_code, item_line.description, float(item_line.unit_amount)) == ("BEAN-1", "House blend", 18.5)
    assert (item_line.account_code, item_line.tax_type, float(item_line.tax_amount)) == ("4000", "ZERORATED", 0)
    assert item_line.item.code == "BEAN-1" and item_line.item.name == "Beans"
    # 860 Rounding takes lines; its own tax type (NONE) when the line has none.
    assert (rounding.account_code, rounding.tax_type) == ("860", "NONE")
    tracked = [(t.name, t.option, str(t.tracking_option_id) if t.name == "Region" else None)
               for t in rounding.tracking]
    assert tracked == [("Region", "North", north["TrackingOptionID"]), ("Department", "Services", None)]
    # A line without quantity or amount is a heading: Xero drops its item code (xero-node#243).
    assert heading.item_code is None and heading.description == "A heading" and float(heading.line_amount) == 0
    assert float(made.total) == 37.0 + 10.0 + 0.0


def test_a_draft_may_leave_out_accounts_approval_needs_them_and_a_due_date(fx, sdk, bob):
    [draft] = put(sdk, fx, invoice(bob, line(AccountCode=None, TaxType=None), DueDate=None))
    assert draft.status == "DRAFT" and draft.line_items[0].account_code is None
    assert float(draft.total_tax) == 0 and draft.line_items[0].tax_type is None
    approve = {"InvoiceID": str(draft.invoice_id), "Status": "AUTHORISED"}
    [answer] = post(sdk, fx, approve, summarize_errors=False)
    assert messages(answer) == ["The document DueDate field must be specified.",
                                line_rules.ACCOUNT_REQUIRED]
    assert one_error(sdk, fx, invoice(bob, line(AccountCode=None), Status="AUTHORISED")) == [
        line_rules.ACCOUNT_REQUIRED]
    [fixed] = post(sdk, fx, dict(approve, DueDate="2024-06-30", LineItems=[
        {"LineItemID": str(draft.line_items[0].line_item_id), "AccountCode": "200"}]))
    assert fixed.status == "AUTHORISED" and fixed.line_items[0].tax_type == "OUTPUT2" and float(fixed.total) == 11.5


def test_numbers_are_assigned_unique_and_bills_keep_theirs(fx, sdk, bob):
    first, given, auto = put(sdk, fx, invoice(bob), invoice(bob, InvoiceNumber="INV-0002"), invoice(bob))
    assert (first.invoice_number, given.invoice_number, auto.invoice_number) == ("INV-0001", "INV-0002", "INV-0003")
    assert one_error(sdk, fx, invoice(bob, InvoiceNumber="inv-0001")) == ["Invoice # must be unique."]
    # POST with a number updates that invoice.
    [updated] = post(sdk, fx, {"InvoiceNumber": "INV-0002", "Reference": "PO 7"})
    assert updated.invoice_id == given.invoice_id and updated.reference == "PO 7" and len(stored(fx)) == 3
    bills = put(sdk, fx, *[invoice(bob, line(AccountCode="400", TaxType="INPUT2"), Type="ACCPAY",
                                   InvoiceNumber="SUP-1")] * 2)
    assert [b.invoice_number for b in bills] == ["SUP-1", "SUP-1"] and bills[0].type == "ACCPAY"
    [unnumbered] = put(sdk, fx, invoice(bob, line(AccountCode="400", TaxType="INPUT2"), Type="ACCPAY"))
    assert unnumbered.invoice_number is None
    assert one_error(sdk, fx, invoice(bob, line(AccountCode="400", TaxType="OUTPUT2"), Type="ACCPAY")) == [
        "The TaxType code OUTPUT2 does not exist or cannot be used for this type of transaction."]
    assert one_error(sdk, fx, invoice(bob, Type="ACCRECCREDIT")) == ["Invoice Type must be one of ACCREC, ACCPAY."]


# -- statuses -------------------------------------------------------------------------------------

def _status(sdk, fx, invoice_id, status, **extra):
    [answer] = post(sdk, fx, dict({"InvoiceID": invoice_id, "Status": status}, **extra), summarize_errors=False)
    return answer.status if not answer.has_errors else messages(answer)


def test_status_transitions_allowed_and_refused(fx, sdk, bob):
    not_valid = ["Invoice not of valid status for modification"]
    ids = [str(i.invoice_id) for i in put(sdk, fx, *[invoice(bob)] * 3)]
    assert [_status(sdk, fx, ids[0], s) for s in ("SUBMITTED", "DRAFT", "SUBMITTED", "AUTHORISED")] == [
        "SUBMITTED", "DRAFT", "SUBMITTED", "AUTHORISED"]
    assert [_status(sdk, fx, ids[0], s) for s in ("DRAFT", "SUBMITTED", "DELETED", "PAID")] == [not_valid] * 4
    assert _status(sdk, fx, ids[0], "VOIDED") == "VOIDED"
    assert [_status(sdk, fx, ids[0], s) for s in ("AUTHORISED", "VOIDED")] == [not_valid] * 2
    assert _status(sdk, fx, ids[1], "DELETED") == "DELETED" and _status(sdk, fx, ids[1], "DRAFT") == not_valid
    assert _status(sdk, fx, ids[2], "AUTHORISED") == "AUTHORISED"
    for status in ("PAID", "VOIDED", "DELETED"):
        assert one_error(sdk, fx, invoice(bob, Status=status)) == ["A new invoice cannot have the status %s." % status]
    voided = stored(fx)[ids[0]]
    assert voided["AmountDue"] == 0 and voided["Status"] == "VOIDED"


def test_void_only_without_payment_and_a_paid_invoice_keeps_its_total(fx, sdk, bob):
    free, paid = (str(i.invoice_id) for i in put(sdk, fx, *[invoice(bob, Status="AUTHORISED")] * 2))
    assert _status(sdk, fx, free, "VOIDED") == "VOIDED"
    fx.pay_invoice(fx.tid, paid, amount=5)
    allocated = ["This document cannot be edited as it has a payment or credit note allocated to it."]
    assert _status(sdk, fx, paid, "VOIDED") == allocated
    [changed] = post(sdk, fx, {"InvoiceID": paid, "LineItems": [line(UnitAmount=20)]}, summarize_errors=False)
    assert messages(changed) == allocated
    [noted] = post(sdk, fx, {"InvoiceID": paid, "Reference": "Paid in part", "DueDate": "2024-07-01"})
    assert noted.reference == "Paid in part" and noted.due_date == datetime.date(2024, 7, 1)
    fx.pay_invoice(fx.tid, paid)
    assert stored(fx)[paid]["Status"] == "PAID"
    assert _status(sdk, fx, paid, "AUTHORISED") == [
        "The status AUTHORISED cannot be applied to the invoice because it has payments or credit notes "
        "allocated to it."]
    assert _status(sdk, fx, paid, "PAID", Url="https://odoo.example/odoo/sales/7") == "PAID"


# -- updates ----------------------------------------------------------------------------------------

def test_lines_left_out_of_an_update_are_removed_and_ids_kept(fx, sdk, bob):
    [made] = put(sdk, fx, invoice(bob, line(Description="One"), line(Description="Two"), line(Description="Three")))
    one, two, three = (str(i.line_item_id) for i in made.line_items)
    [updated] = post(sdk, fx, {"InvoiceID": str(made.invoice_id), "LineItems": [
        {"LineItemID": two, "Quantity": 3}, line(Description="Four")]})
    assert [i.description for i in updated.line_items] == ["Two", "Four"]
    assert str(updated.line_items[0].line_item_id) == two and float(updated.line_items[0].line_amount) == 30
    assert str(updated.line_items[1].line_item_id) not in (one, two, three)
    assert float(updated.total) == 46.0 and len(stored(fx)[str(made.invoice_id)]["LineItems"]) == 2
    # Without LineItems the lines stay.
    [kept] = post(sdk, fx, {"InvoiceID": str(made.invoice_id), "Reference": "R"})
    assert [str(i.line_item_id) for i in kept.line_items] == [str(i.line_item_id) for i in updated.line_items]


def test_header_fields_are_kept_and_updated_date_moves(fx, sdk, bob, clock):
    special = next(t["BrandingThemeID"] for t in fx.tenant(fx.tid).branding_themes.values()
                   if t["Name"] == "Special Projects")
    [made] = put(sdk, fx, invoice(bob, Reference="SO042", Url="https://odoo.example/odoo/sales/42",
                                  BrandingThemeID=special.upper()))
    assert (made.reference, made.url, str(made.branding_theme_id)) == (
        "SO042", "https://odoo.example/odoo/sales/42", special)
    clock.advance(5)
    [again] = post(sdk, fx, {"InvoiceID": str(made.invoice_id), "Reference": "SO042-B"})
    assert again.url == made.url and again.updated_date_utc > made.updated_date_utc
    missing = "00000000-0000-0000-0000-000000000001"
    assert one_error(sdk, fx, invoice(bob, BrandingThemeID=missing)) == [
        "The branding theme %s could not be found." % missing]
    [default_date] = put(sdk, fx, invoice(bob, Date=None))
    assert default_date.date == datetime.datetime.fromtimestamp(clock.now(), datetime.timezone.utc).date()


def test_currencies_and_rates(fx, sdk, bob):
    usd, fixed, base = put(sdk, fx, invoice(bob, CurrencyCode="USD"),
                           invoice(bob, CurrencyCode="AUD", CurrencyRate=0.9),
                           invoice(bob, CurrencyCode="NZD", CurrencyRate=2))
    assert usd.currency_code.value == "USD" and float(usd.currency_rate) == 0.606061     # 1 / 1.65, fixed
    assert float(fixed.currency_rate) == 0.9 and float(base.currency_rate) == 1.0
    assert one_error(sdk, fx, invoice(bob, CurrencyCode="GBP")) == [
        "The currency GBP is not enabled for this organisation."]


def test_the_lock_date_refuses_documents_dated_on_or_before_it(fx, sdk, bob):
    fx.set_lock_dates(fx.tid, period=datetime.date(2024, 4, 30))
    assert one_error(sdk, fx, invoice(bob, Date="2024-04-30")) == [
        "The document date cannot be before the period lock date, currently set at 30-Apr-2024"]
    assert put(sdk, fx, invoice(bob, Date="2024-05-01"))[0].status == "DRAFT"
    fx.set_lock_dates(fx.tid, period=datetime.date(2024, 5, 31), end_of_year=datetime.date(2024, 3, 31))
    assert one_error(sdk, fx, invoice(bob, Date="2024-03-01")) == [
        "The document date cannot be before the period lock date, currently set at 31-May-2024"]
    fx.set_lock_dates(fx.tid, end_of_year=datetime.date(2024, 3, 31))
    assert one_error(sdk, fx, invoice(bob, Date="2024-03-01")) == [
        "The document date cannot be before the end of year lock date, currently set at 31-Mar-2024"]


def test_an_idempotent_put_is_replayed_not_repeated(fx, sdk, bob):
    acc = sdk.accounting
    body = {"Invoices": [invoice(bob, Status="AUTHORISED")]}
    first = acc.create_invoices(fx.tid, body, summarize_errors=False, unitdp=4, idempotency_key="inv-1").invoices[0]
    again = acc.create_invoices(fx.tid, body, summarize_errors=False, unitdp=4, idempotency_key="inv-1").invoices[0]
    assert again.invoice_id == first.invoice_id and again.invoice_number == "INV-0001" and len(stored(fx)) == 1
    puts = [r for r in fx.requests if r.method == "PUT"]
    assert puts[0].response_body == puts[1].response_body
    assert put(sdk, fx, invoice(bob))[0].invoice_number == "INV-0002"


def test_invoices_need_the_transactions_scope(fx, bob):
    fx.add_app("contacts-only", "secret", tenants=[fx.tid], custom=True, scopes="accounting.contacts")
    fx.add_app("reader", "secret", tenants=[fx.tid], custom=True, scopes="accounting.transactions.read")
    outsider, reader = Sdk(fx, "contacts-only", "secret"), Sdk(fx, "reader", "secret")
    outsider.client_credentials()
    reader.client_credentials()
    with pytest.raises(ApiException) as err:
        outsider.accounting.get_invoices(fx.tid)
    assert err.value.status == 403
    assert reader.accounting.get_invoices(fx.tid).invoices == []
    with pytest.raises(ApiException) as err:
        reader.accounting.create_invoices(fx.tid, {"Invoices": [invoice(bob)]})
    assert err.value.status == 403


# -- reads ------------------------------------------------------------------------------------------

def test_paging_lines_only_on_pages_and_page_size(fx, sdk, bob):
    for n in range(250):
        fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=n + 1)))
    acc = sdk.accounting
    pages = [acc.get_invoices(fx.tid, page=p) for p in (1, 2, 3, 4)]
    assert [len(p.invoices) for p in pages] == [100, 100, 50, 0]
    pagination = pages[0].pagination
    assert (pagination.page_count, pagination.item_count, pagination.page_size) == (3, 250, 100)
    numbers = [i.invoice_number for p in pages for i in p.invoices]
    assert numbers == ["INV-%04d" % n for n in range(1, 251)] and all(i.line_items for i in pages[0].invoices)
    everything = acc.get_invoices(fx.tid)
    assert len(everything.invoices) == 250 and everything.pagination is None
    assert all(i.line_items is None for i in everything.invoices)          # no page: no lines
    assert len(acc.get_invoices(fx.tid, page=1, page_size=1000).invoices) == 250
    assert [i.invoice_number for i in acc.get_invoices(fx.tid, page=3, page_size=40).invoices][0] == "INV-0081"
    summary = acc.get_invoices(fx.tid, page=1, summary_only=True).invoices[0]
    assert summary.line_items is None and summary.payments is None and float(summary.total) == 1.15


def test_filters_statuses_ids_numbers_contacts_where_order_and_if_modified_since(fx, sdk, bob, clock):
    alice = customer(fx, "Alice Ltd")
    made = put(sdk, fx, invoice(bob), invoice(bob, Status="AUTHORISED"), invoice(alice, Status="AUTHORISED",
                                                                                 Reference="Big order"))
    ids = [str(i.invoice_id) for i in made]
    clock.advance(60)
    since = clock.utcnow()
    clock.advance(1)
    fx.pay_invoice(fx.tid, ids[1])                  # a payment is a change of its invoice
    acc = sdk.accounting

    def numbers(**kw):
        return [i.invoice_number for i in acc.get_invoices(fx.tid, page=1, **kw).invoices]
    assert numbers(statuses=["AUTHORISED", "PAID"]) == ["INV-0002", "INV-0003"]
    assert numbers(statuses=["PAID"]) == ["INV-0002"]
    assert numbers(if_modified_since=since) == ["INV-0002"]
    assert numbers(i_ds=[ids[0], ids[2]]) == ["INV-0001", "INV-0003"]
    assert numbers(invoice_numbers=["inv-0003", "INV-0001"]) == ["INV-0001", "INV-0003"]
    assert numbers(contact_i_ds=[alice]) == ["INV-0003"]
    assert numbers(where='Status=="DRAFT" OR Contact.ContactID==Guid("%s")' % alice) == ["INV-0001", "INV-0003"]
    assert numbers(where="AmountDue>0", order="InvoiceNumber DESC") == ["INV-0003", "INV-0001"]
    assert numbers(search_term="big") == ["INV-0003"]
    with pytest.raises(AccountingBadRequestException) as err:
        acc.get_invoices(fx.tid, where='Status=="unterminated')
    assert err.value.error_data["Type"] == "QueryParseException"


def test_get_one_by_id_or_number(fx, sdk, token, bob, on_spec):
    [made] = put(sdk, fx, invoice(bob))
    assert sdk.accounting.get_invoice(fx.tid, str(made.invoice_id).upper()).invoices[0].invoice_number == "INV-0001"
    with on_spec.off():                                  # the spec's InvoiceID is a uuid
        status, answer = send(fx, token, "GET", "/Invoices/inv-0001")
    assert status == 200 and answer["Invoices"][0]["InvoiceID"] == str(made.invoice_id)
    with pytest.raises(ApiException) as err:
        sdk.accounting.get_invoice(fx.tid, "00000000-0000-0000-0000-000000000000")
    assert err.value.status == 404


# -- e-mail and the online invoice ----------------------------------------------------------------

def test_email_answers_204_once_approved_and_is_counted(fx, sdk, bob, clock):
    acc = sdk.accounting
    draft, approved = put(sdk, fx, invoice(bob), invoice(bob, Status="AUTHORISED"))
    with pytest.raises(AccountingBadRequestException) as err:
        acc.email_invoice(fx.tid, draft.invoice_id, {})
    assert refused(err) == [["The invoice must be of Type ACCREC and a valid Status for sending "
                             "(SUBMITTED, AUTHORISED or PAID)."]]
    assert fx.emails_sent(fx.tid, draft.invoice_id) == 0
    clock.advance(5)
    assert acc.email_invoice(fx.tid, approved.invoice_id, {}) is None
    assert fx.requests[-1].status == 204 and fx.requests[-1].response_body == b""
    assert fx.emails_sent(fx.tid, "INV-0002") == 1
    sent = acc.get_invoice(fx.tid, approved.invoice_id).invoices[0]
    assert sent.sent_to_contact is True and sent.updated_date_utc > approved.updated_date_utc
    acc.email_invoice(fx.tid, approved.invoice_id, {}, idempotency_key="mail-1")
    acc.email_invoice(fx.tid, approved.invoice_id, {}, idempotency_key="mail-1")     # a retry
    assert fx.emails_sent(fx.tid, approved.invoice_id) == 2
    silent = customer(fx, "No Mail Ltd", email=None)
    [quiet] = put(sdk, fx, invoice(silent, Status="AUTHORISED"))
    with pytest.raises(AccountingBadRequestException) as err:
        acc.email_invoice(fx.tid, quiet.invoice_id, {})
    assert refused(err) == [["The contact No Mail Ltd has no email address to send the invoice to."]]


def test_online_invoice_only_once_approved(fx, sdk, bob):
    acc = sdk.accounting
    draft, approved = put(sdk, fx, invoice(bob), invoice(bob, Status="AUTHORISED"))
    with pytest.raises(AccountingBadRequestException) as err:
        acc.get_online_invoice(fx.tid, draft.invoice_id)
    assert refused(err) == [["An online invoice is only available for an approved sales invoice."]]
    url = acc.get_online_invoice(fx.tid, approved.invoice_id).online_invoices[0].online_invoice_url
    assert url.startswith("https://in.xero.com/") and len(url) == len("https://in.xero.com/") + 40
    assert acc.get_online_invoice(fx.tid, approved.invoice_id).online_invoices[0].online_invoice_url == url
    with pytest.raises(ApiException) as err:
        acc.email_invoice(fx.tid, "00000000-0000-0000-0000-000000000000", {})
    assert err.value.status == 404


def test_seeded_invoices_follow_the_same_rules(fx, bob):
    made = fx.add_invoice(fx.tid, invoice(bob, line(UnitAmount=12.3456), Date=datetime.date(2024, 5, 2),
                                          Status="AUTHORISED"))
    assert made["InvoiceNumber"] == "INV-0001" and made["LineItems"][0]["UnitAmount"] == 12.3456
    assert made["DateString"] == "2024-05-02T00:00:00" and fx.invoice(fx.tid, "inv-0001") == made
    with pytest.raises(ValueError) as err:
        fx.add_invoice(fx.tid, invoice(bob, line(Quantity=-1)))
    assert "Quantity must not be less than zero" in str(err.value)
    assert fx.invoice(fx.tid, "INV-0002") is None and DAY == "2024-05-01"
