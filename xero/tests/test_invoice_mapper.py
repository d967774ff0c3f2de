"""Sales orders: plain values → Xero's Invoice and Quote JSON, the checks made before any call,
and totals computed the way Xero rounds them."""
import datetime
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from xero.mappers import invoice
from xero_sandbox import spec

CONTACT = "7b5b4a6e-1d2c-4b0a-9a8e-2f3c4d5e6f70"
THEME = "5c6f2b1e-0000-4000-8000-000000000001"
LINE_ID = "5c6f2b1e-0000-4000-8000-000000000002"

LINE = {"description": "House Blend 1 kg", "quantity": 2, "unit_amount": 18.5, "item_code": "COF-1",
        "account_code": "200", "tax_type": "OUTPUT2", "discount_rate": None, "tracking": [], "line_item_id": None}
VALUES = {"contact_id": CONTACT, "date": "2024-05-01", "due_date": "2024-05-31", "expiry_date": "2024-06-01",
          "reference": "PO 42", "number": "S00042", "currency": "NZD", "currency_rate": None,
          "amounts": "exclusive", "status": "DRAFT", "url": "https://odoo.example/odoo/sales/42",
          "branding_theme_id": None, "title": "Coffee for May", "summary": "Two bags", "terms": "Net 30",
          "lines": [LINE]}
FULL_LINE = dict(LINE, unit_amount=12.34567, discount_rate=10, line_item_id=LINE_ID,
                 tracking=[{"name": "Region", "option": "North"}, {"name": "Channel", "option": "Web"}])
FULL = dict(VALUES, currency_rate=1.25, amounts="inclusive", branding_theme_id=THEME,
            lines=[FULL_LINE, {"description": "Returns"}, dict(LINE, description="Refund", quantity=-1, unit_amount=5)])


# -- mapping ------------------------------------------------------------------------------------

def test_an_invoice_carries_the_order_and_leaves_empty_fields_to_xero():
    assert invoice.to_invoice(VALUES) == {
        "Type": "ACCREC", "Contact": {"ContactID": CONTACT}, "Date": "2024-05-01", "DueDate": "2024-05-31",
        "Reference": "PO 42", "InvoiceNumber": "S00042", "CurrencyCode": "NZD", "LineAmountTypes": "Exclusive",
        "Status": "DRAFT", "Url": "https://odoo.example/odoo/sales/42",
        "LineItems": [{"Description": "House Blend 1 kg", "Quantity": 2, "UnitAmount": 18.5, "ItemCode": "COF-1",
                       "AccountCode": "200", "TaxType": "OUTPUT2"}]}
    draft = invoice.to_invoice({"contact_id": CONTACT, "number": None, "reference": "", "currency_rate": 0,
                                "lines": [{"description": "Beans", "quantity": 1, "unit_amount": 3,
                                           "account_code": None, "tax_type": "", "tracking": []}]})
    assert draft == {"Type": "ACCREC", "Contact": {"ContactID": CONTACT}, "LineAmountTypes": "Exclusive",
                     "LineItems": [{"Description": "Beans", "Quantity": 1, "UnitAmount": 3}]}


def test_every_line_field_is_mapped_and_prices_are_rounded_to_4_dp():
    sent = invoice.to_invoice(FULL)
    assert (sent["CurrencyRate"], sent["BrandingThemeID"], sent["LineAmountTypes"]) == (1.25, THEME, "Inclusive")
    assert sent["LineItems"][0] == {
        "LineItemID": LINE_ID, "Description": "House Blend 1 kg", "Quantity": 2, "UnitAmount": 12.3457,
        "ItemCode": "COF-1", "AccountCode": "200", "TaxType": "OUTPUT2", "DiscountRate": 10,
        "Tracking": [{"Name": "Region", "Option": "North"}, {"Name": "Channel", "Option": "Web"}]}
    assert invoice.to_invoice(dict(VALUES, lines=[dict(LINE, unit_amount=0.00005)]))["LineItems"][0]["UnitAmount"] \
        == 0.0001, "half up, not half even"
    assert "DiscountRate" not in invoice.to_invoice(dict(VALUES, lines=[dict(LINE, discount_rate=0)]))["LineItems"][0]


def test_a_quote_has_its_own_fields_and_spelling_and_no_invoice_fields():
    assert invoice.to_quote(VALUES) == {
        "Contact": {"ContactID": CONTACT}, "Date": "2024-05-01", "ExpiryDate": "2024-06-01", "Reference": "PO 42",
        "QuoteNumber": "S00042", "Title": "Coffee for May", "Summary": "Two bags", "Terms": "Net 30",
        "CurrencyCode": "NZD", "LineAmountTypes": "EXCLUSIVE", "Status": "DRAFT",
        "LineItems": [{"Description": "House Blend 1 kg", "Quantity": 2, "UnitAmount": 18.5, "ItemCode": "COF-1",
                       "AccountCode": "200", "TaxType": "OUTPUT2"}]}
    sent = invoice.to_quote(FULL)
    assert sent["BrandingThemeID"] == THEME and sent["CurrencyRate"] == 1.25
    assert sent["LineItems"] == invoice.to_invoice(FULL)["LineItems"]


@pytest.mark.parametrize("amounts, on_invoice, on_quote", [
    ("exclusive", "Exclusive", "EXCLUSIVE"), ("inclusive", "Inclusive", "INCLUSIVE"),
    ("notax", "NoTax", "NOTAX"), (None, "Exclusive", "EXCLUSIVE"), ("NoTax", "NoTax", "NOTAX")])
def test_line_amount_types_are_spelled_for_each_object(amounts, on_invoice, on_quote):
    values = dict(VALUES, amounts=amounts)
    assert invoice.to_invoice(values)["LineAmountTypes"] == on_invoice
    assert invoice.to_quote(values)["LineAmountTypes"] == on_quote


def test_an_unknown_line_amount_type_is_refused_not_guessed():
    with pytest.raises(ValueError):
        invoice.to_invoice(dict(VALUES, amounts="gross"))
    assert ("amounts", "invalid_choice", {"value": "gross", "choices": ("exclusive", "inclusive", "notax")}) \
        in invoice.problems(dict(VALUES, amounts="gross"))


def test_a_negative_quantity_moves_its_sign_to_the_price():
    line = invoice.to_invoice(dict(VALUES, lines=[dict(LINE, quantity=-3, unit_amount=4.5, discount_rate=10)]))
    assert line["LineItems"][0]["Quantity"] == 3 and line["LineItems"][0]["UnitAmount"] == -4.5
    assert line["LineItems"][0]["DiscountRate"] == 10
    refund = invoice.to_invoice(dict(VALUES, lines=[dict(LINE, quantity=-1, unit_amount=-2)]))["LineItems"][0]
    assert (refund["Quantity"], refund["UnitAmount"]) == (1, 2)
    assert invoice.line_amount(dict(LINE, quantity=-3, unit_amount=4.5)) == Decimal("-13.50")


def test_a_section_or_note_is_a_description_only_line():
    lines = [{"description": "Hardware"}, {"description": "Note", "quantity": None, "unit_amount": None,
                                           "account_code": "200", "tax_type": "OUTPUT2", "line_item_id": LINE_ID}]
    for to in (invoice.to_invoice, invoice.to_quote):
        assert to(dict(VALUES, lines=lines))["LineItems"] == [
            {"Description": "Hardware"}, {"LineItemID": LINE_ID, "Description": "Note"}]
    zero = invoice.to_invoice(dict(VALUES, lines=[dict(LINE, quantity=0, unit_amount=0)]))["LineItems"][0]
    assert (zero["Quantity"], zero["UnitAmount"]) == (0, 0), "zero is a value, not a missing one"


def test_dates_are_sent_as_yyyy_mm_dd():
    sent = invoice.to_invoice(dict(VALUES, date=datetime.date(2024, 2, 29),
                                   due_date=datetime.datetime(2024, 3, 31, 23, 30)))
    assert (sent["Date"], sent["DueDate"]) == ("2024-02-29", "2024-03-31")
    assert invoice.to_quote(dict(VALUES, expiry_date=datetime.date(2024, 4, 1)))["ExpiryDate"] == "2024-04-01"


# -- against Xero's OpenAPI description ---------------------------------------------------------

needs_spec = pytest.mark.skipif(not spec.spec_available(),
                                reason="Xero's OpenAPI files (../shared/xero-openapi) absent")


class _Request:
    """What ``spec.validate_request`` reads of a recorded request."""

    def __init__(self, method, path, query, body):
        self.method, self.path, self.query = method, path, query
        self.headers = {"xero-tenant-id": "7b5b4a6e-1d2c-4b0a-9a8e-2f3c4d5e6f71",
                        "Content-Type": "application/json", "Accept": "application/json"}
        self.body = json.dumps(body).encode()


def _put_invoices(*invoices):
    return _Request("PUT", "/api.xro/2.0/Invoices", {"unitdp": ["4"], "summarizeErrors": ["false"]},
                    {"Invoices": list(invoices)})


def _put_quotes(*quotes):
    return _Request("PUT", "/api.xro/2.0/Quotes", {"summarizeErrors": ["false"]}, {"Quotes": list(quotes)})


def _schemas():
    import yaml
    with open(spec.openapi_dir() / spec.ACCOUNTING_FILE, "rb") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]["schemas"]


def _writable(schema):
    return {k for k, v in schema["properties"].items() if not v.get("readOnly")}


@needs_spec
@pytest.mark.parametrize("amounts", ["exclusive", "inclusive", "notax"])
def test_invoices_and_quotes_match_the_openapi_description(amounts):
    invoices = [invoice.to_invoice(dict(v, amounts=amounts)) for v in (VALUES, FULL)]
    quotes = [invoice.to_quote(dict(v, amounts=amounts)) for v in (VALUES, FULL)]
    assert spec.validate_request(_put_invoices(*invoices))
    assert spec.validate_request(_put_quotes(*quotes))
    # The spec allows properties it does not list: check the names too, read-only ones excluded.
    schemas = _schemas()
    line_fields = _writable(schemas["LineItem"])
    for payloads, schema in ((invoices, "Invoice"), (quotes, "Quote")):
        for payload in payloads:
            assert set(payload) <= _writable(schemas[schema]), schema
            for line in payload["LineItems"]:
                assert set(line) <= line_fields
                for tracking in line.get("Tracking", []):
                    assert set(tracking) <= set(schemas["LineItemTracking"]["properties"])
    assert "Url" not in schemas["Quote"]["properties"] and "Url" in schemas["Invoice"]["properties"]


@needs_spec
def test_the_spec_check_catches_a_spelling_meant_for_the_other_object():
    quote, sent = invoice.to_quote(FULL), invoice.to_invoice(FULL)
    with pytest.raises(spec.SpecViolation):
        spec.validate_request(_put_quotes(dict(quote, LineAmountTypes=sent["LineAmountTypes"])))
    with pytest.raises(spec.SpecViolation):
        spec.validate_request(_put_invoices(dict(sent, LineAmountTypes=quote["LineAmountTypes"])))
    with pytest.raises(spec.SpecViolation):
        spec.validate_request(_put_quotes(dict(quote, Title="t" * 101)))


@needs_spec
def test_the_limits_checked_here_are_the_specs():
    schemas = _schemas()
    assert schemas["Invoice"]["properties"]["InvoiceNumber"]["maxLength"] == invoice.INVOICE_MAX["number"]
    assert "maxLength" not in schemas["Invoice"]["properties"]["Reference"]
    quote = {k: v["maxLength"] for k, v in schemas["Quote"]["properties"].items() if "maxLength" in v}
    assert quote == {"QuoteNumber": invoice.QUOTE_MAX["number"], "Reference": invoice.QUOTE_MAX["reference"],
                     "Terms": invoice.QUOTE_MAX["terms"], "Title": invoice.QUOTE_MAX["title"],
                     "Summary": invoice.QUOTE_MAX["summary"]}
    assert schemas["LineItemTracking"]["properties"]["Name"]["maxLength"] == invoice.LINE_MAX["tracking_name"]
    assert tuple(schemas["Invoice"]["properties"]["Status"]["enum"]) == invoice.INVOICE_STATUSES
    assert tuple(schemas["QuoteStatusCodes"]["enum"]) == invoice.QUOTE_STATUSES
    assert schemas["LineAmountTypes"]["enum"] == list(invoice.INVOICE_AMOUNTS.values())
    assert schemas["QuoteLineAmountTypes"]["enum"] == list(invoice.QUOTE_AMOUNTS.values())


# -- checks -------------------------------------------------------------------------------------

def test_a_good_order_has_no_problems():
    assert invoice.problems(VALUES) == [] and invoice.problems(VALUES, kind="quote") == []
    assert invoice.problems(FULL) == [] and invoice.problems(FULL, kind="quote") == []


def test_problems_of_the_header():
    assert invoice.problems(dict(VALUES, contact_id=None)) == [("contact_id", "required", {})]
    assert invoice.problems(dict(VALUES, number="N" * 256)) == [("number", "too_long", {"max": 255, "length": 256})]
    assert invoice.problems(dict(VALUES, reference="r" * 5000)) == [], "no limit on an invoice's Reference"
    assert invoice.problems(dict(VALUES, reference="r" * 4001), kind="quote") == [
        ("reference", "too_long", {"max": 4000, "length": 4001})]
    assert invoice.problems(dict(VALUES, title="t" * 101, summary="s" * 3001), kind="quote") == [
        ("title", "too_long", {"max": 100, "length": 101}), ("summary", "too_long", {"max": 3000, "length": 3001})]
    assert invoice.problems(dict(VALUES, title="t" * 101)) == [], "an invoice sends no Title"
    assert invoice.problems(dict(VALUES, date="01/05/2024", due_date="2024-02-30")) == [
        ("date", "invalid_date", {"value": "01/05/2024"}), ("due_date", "invalid_date", {"value": "2024-02-30"})]
    assert invoice.problems(dict(VALUES, date=datetime.date(2024, 5, 1))) == []
    assert invoice.problems(dict(VALUES, lines=[])) == [("lines", "required", {})]


def test_problems_of_the_status():
    assert invoice.problems(dict(VALUES, status="SENT")) == [
        ("status", "invalid_choice", {"value": "SENT", "choices": invoice.INVOICE_STATUSES})]
    assert invoice.problems(dict(VALUES, status="SENT"), kind="quote") == []
    assert invoice.problems(dict(VALUES, status="AUTHORISED", due_date=None)) == [
        ("due_date", "required", {"status": "AUTHORISED"})]
    assert invoice.problems(dict(VALUES, status="AUTHORISED")) == []


def test_problems_of_the_lines_name_the_line():
    three = [{"name": "Region", "option": "N"}, {"name": "Channel", "option": "Web"}, {"name": "Team", "option": "A"}]
    lines = [dict(LINE, tracking=three), dict(LINE, description="d" * 4001), {"description": " "},
             {"description": "Beans", "item_code": "COF-1"}, dict(LINE, discount_rate=120),
             dict(LINE, tracking=[{"name": "n" * 101, "option": "x"}])]
    assert invoice.problems(dict(VALUES, lines=lines)) == [
        ("lines.0.tracking", "too_many", {"max": 2, "count": 3}),
        ("lines.1.description", "too_long", {"max": 4000, "length": 4001}),
        ("lines.2.description", "required", {}),
        ("lines.3.quantity", "required", {"item_code": "COF-1"}),
        ("lines.4.discount_rate", "out_of_range", {"min": 0, "max": 100, "value": 120.0}),
        ("lines.5.tracking", "too_long", {"max": 100, "length": 101, "value": "n" * 101})]


# -- totals -------------------------------------------------------------------------------------

def _lines(*nets, tax_type="OUTPUT2"):
    return [{"description": "x", "quantity": 1, "unit_amount": net, "tax_type": tax_type} for net in nets]


def test_tax_is_rounded_per_line_then_summed_as_in_xeros_rounding_guide():
    lines = _lines(25.06, 25.61, 25.63)
    assert [invoice.line_tax(invoice.line_amount(line), 15, "exclusive") for line in lines] == [
        Decimal("3.76"), Decimal("3.84"), Decimal("3.84")]
    subtotal, tax, total = invoice.totals(lines, {"OUTPUT2": 15}, "exclusive")
    assert (subtotal, tax, total) == (Decimal("76.30"), Decimal("11.44"), Decimal("87.74"))
    on_total = (subtotal * Decimal("0.15")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert on_total == Decimal("11.45") and tax == on_total - Decimal("0.01"), "taxed per line, not on the total"


def test_inclusive_amounts_hold_their_tax():
    # 10.01 including 15%: 1.305652… → 1.31 a line, 3.93 for three, where the total's 30.03 holds 3.92.
    subtotal, tax, total = invoice.totals(_lines(10.01, 10.01, 10.01), {"OUTPUT2": 15}, "inclusive")
    assert (subtotal, tax, total) == (Decimal("26.10"), Decimal("3.93"), Decimal("30.03"))
    assert invoice.totals(_lines(115), {"OUTPUT2": 15}, "inclusive") == (Decimal("100.00"), Decimal("15.00"),
                                                                          Decimal("115.00"))


def test_totals_of_discounts_notax_untaxed_and_description_lines():
    lines = [{"description": "x", "quantity": 3, "unit_amount": 9.99, "discount_rate": 10, "tax_type": "OUTPUT2"},
             {"description": "Section"}, {"description": "y", "quantity": 1, "unit_amount": 5, "tax_type": None},
             {"description": "z", "quantity": -1, "unit_amount": 2, "tax_type": "OUTPUT2"}]
    # 3 × 9.99 × 90% = 26.973 → 26.97, taxed 4.0455 → 4.05; the refund −2.00 is taxed −0.30.
    assert invoice.totals(lines, {"OUTPUT2": 15}, "exclusive") == (Decimal("29.97"), Decimal("3.75"),
                                                                   Decimal("33.72"))
    assert invoice.totals(lines, {}, "notax") == (Decimal("29.97"), Decimal("0.00"), Decimal("29.97"))
    with pytest.raises(KeyError):
        invoice.totals(lines, {"INPUT2": 15}, "exclusive")
    assert invoice.totals(_lines(12.34495), {"OUTPUT2": 0}, "exclusive")[0] == Decimal("12.35"), \
        "priced as sent: 4 dp, then 2 dp"
