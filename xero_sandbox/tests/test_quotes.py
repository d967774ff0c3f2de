"""Quotes in the fake Xero, over real HTTP through xero-python: their own spelling of
LineAmountTypes, 4-decimal unit amounts without unitdp, numbers, statuses and the transitions
Xero refuses, what a POST leaves out, and reads. Every request must match Xero's OpenAPI
description and every 2xx answer its schema (``on_spec``), unless sent inside ``on_spec.off()``.
"""
import datetime

import pytest
from sales import customer, line, messages, quote, refused, send
from xero_python.exceptions import AccountingBadRequestException

from xero_sandbox import docrules, spec

pytestmark = pytest.mark.usefixtures("on_spec")


def put(sdk, fx, *quotes, **kw):
    return sdk.accounting.create_quotes(fx.tid, {"Quotes": list(quotes)}, **kw).quotes


def post(sdk, fx, quote_id, **fields):
    return sdk.accounting.update_quote(fx.tid, quote_id, {"Quotes": [fields]}).quotes[0]


def test_a_quote_is_spelled_numbered_and_priced_as_xero_does(fx, sdk, bob):
    [made] = put(sdk, fx, quote(bob, line(UnitAmount=25.06), line(UnitAmount=25.61), line(UnitAmount=10.12345)))
    assert made.quote_number == "QU-0001" and made.status.value == "DRAFT"
    assert made.line_amount_types.value == "EXCLUSIVE" and made.date == datetime.date(2024, 5, 1)
    assert made.expiry_date == datetime.date(2024, 5, 31) and made.currency_code.value == "NZD"
    # No unitdp on quotes: unit amounts keep 4 decimals; tax per line, rounded, then summed.
    assert float(made.line_items[2].unit_amount) == 10.1235 and float(made.line_items[2].line_amount) == 10.12
    assert [float(i.tax_amount) for i in made.line_items] == [3.76, 3.84, 1.52]
    assert (float(made.sub_total), float(made.total_tax), float(made.total)) == (60.79, 9.12, 69.91)
    assert [q.quote_number for q in put(sdk, fx, quote(bob), quote(bob, QuoteNumber="Q-77"), quote(bob))] == [
        "QU-0002", "Q-77", "QU-0003"]
    [taken] = put(sdk, fx, quote(bob, QuoteNumber="q-77"), summarize_errors=False)
    assert messages(taken) == ["Quote # must be unique."]
    [inclusive] = put(sdk, fx, quote(bob, line(UnitAmount=115), LineAmountTypes="INCLUSIVE"))
    assert (float(inclusive.sub_total), float(inclusive.total_tax)) == (100, 15)
    [untaxed] = put(sdk, fx, quote(bob, line(UnitAmount=115), LineAmountTypes="NOTAX"))
    assert untaxed.line_amount_types.value == "NOTAX" and float(untaxed.total) == 115


def test_the_invoices_spelling_refuses_the_whole_request(fx, token, bob, on_spec):
    with on_spec.off():                                  # the invoices' spelling, which the quote schema refuses
        status, answer = send(fx, token, "PUT", "/Quotes", {"Quotes": [
            quote(bob), quote(bob, LineAmountTypes="Exclusive")]}, summarizeErrors="false")
    assert status == 400 and answer["Type"] == "PostDataInvalidException" and "LineAmountTypes" in answer["Message"]
    assert len(fx.tenant(fx.tid).quotes) == 0


def test_quote_rules_reuse_the_line_rules(fx, sdk, bob):
    answer = put(sdk, fx, quote(bob, line(Quantity=-1)), quote(bob, line(TaxType="INPUT2")), quote(bob, Contact=None),
                 summarize_errors=False)
    assert [messages(q) for q in answer] == [
        ["The quantity value '-1.0000' is invalid. Quantity must not be less than zero."],
        ["The TaxType code INPUT2 does not exist or cannot be used for this type of transaction."],
        ["A Contact must be specified for this type of transaction"]]
    assert [q.status_attribute_string for q in answer] == ["ERROR"] * 3
    # Quotes do not post to the ledger: a lock date does not stop them.
    fx.set_lock_dates(fx.tid, period=datetime.date(2024, 12, 31))
    assert put(sdk, fx, quote(bob))[0].quote_number == "QU-0001"


def test_status_transitions_and_the_two_xero_refuses(fx, sdk, bob):
    ids = [q.quote_id for q in put(sdk, fx, *[quote(bob)] * 3)]

    def move(quote_id, status):
        with pytest.raises(AccountingBadRequestException) as err:
            post(sdk, fx, quote_id, Status=status, LineAmountTypes="EXCLUSIVE")
        return refused(err)
    assert move(ids[0], "DECLINED") == [["The quote status cannot be changed from DRAFT to DECLINED."]]
    assert [post(sdk, fx, ids[0], Status=s).status.value for s in ("SENT", "ACCEPTED", "INVOICED")] == [
        "SENT", "ACCEPTED", "INVOICED"]
    assert [post(sdk, fx, ids[1], Status=s).status.value for s in ("SENT", "ACCEPTED")] == ["SENT", "ACCEPTED"]
    assert move(ids[1], "DECLINED") == [["The quote status cannot be changed from ACCEPTED to DECLINED."]]
    assert [post(sdk, fx, ids[2], Status=s).status.value for s in ("SENT", "DECLINED", "DELETED")] == [
        "SENT", "DECLINED", "DELETED"]
    assert move(ids[2], "DRAFT") == [["Quote not of valid status for modification"]]


def test_a_post_reprices_exclusive_and_clears_the_text_it_leaves_out(fx, sdk, bob):
    [made] = put(sdk, fx, quote(bob, line(UnitAmount=115), LineAmountTypes="INCLUSIVE", Title="Coffee",
                                Summary="Two bags", Terms="Net 30", Reference="PO 42"))
    assert (made.title, made.terms, float(made.total)) == ("Coffee", "Net 30", 115)
    again = post(sdk, fx, made.quote_id, Status="SENT", Title="Coffee")
    assert again.line_amount_types.value == "EXCLUSIVE" and float(again.total) == 132.25
    assert (again.title, again.summary, again.terms, again.reference) == ("Coffee", None, None, None)
    assert [i.line_item_id for i in again.line_items] == [i.line_item_id for i in made.line_items]


def test_quotes_read_by_page_and_filters(fx, sdk, bob, clock):
    alice = customer(fx, "Alice Ltd")
    for n in range(105):
        fx.add_quote(fx.tid, quote(bob if n % 2 else alice, line(UnitAmount=n + 1),
                                   Date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n)))
    acc = sdk.accounting
    assert [len(acc.get_quotes(fx.tid, page=p).quotes) for p in (1, 2)] == [100, 5]
    assert len(acc.get_quotes(fx.tid).quotes) == 105
    assert len(acc.get_quotes(fx.tid, contact_id=alice).quotes) == 53
    assert [q.quote_number for q in acc.get_quotes(fx.tid, quote_number="qu-0007").quotes] == ["QU-0007"]
    assert [q.quote_number for q in acc.get_quotes(fx.tid, date_from=datetime.date(2024, 4, 13),
                                                   date_to=datetime.date(2024, 4, 14)).quotes] == ["QU-0104", "QU-0105"]
    clock.advance(60)
    since = clock.utcnow()
    clock.advance(1)
    target = acc.get_quotes(fx.tid, quote_number="QU-0042").quotes[0]
    post(sdk, fx, target.quote_id, Status="SENT", LineAmountTypes="EXCLUSIVE")
    assert [q.quote_number for q in acc.get_quotes(fx.tid, if_modified_since=since).quotes] == ["QU-0042"]
    assert [q.quote_number for q in acc.get_quotes(fx.tid, status="SENT").quotes] == ["QU-0042"]
    assert [q.quote_number for q in acc.get_quotes(fx.tid, order="QuoteNumber DESC").quotes][:2] == [
        "QU-0105", "QU-0104"]
    assert acc.get_quote(fx.tid, target.quote_id).quotes[0].quote_number == "QU-0042"


def test_text_longer_than_the_spec_allows_is_refused(fx, token, bob, on_spec):
    with on_spec.off():                                  # longer than the schema allows
        status, answer = send(fx, token, "PUT", "/Quotes", {"Quotes": [
            quote(bob, Title="t" * 101, Summary="s" * 3000)]}, summarizeErrors="false")
    assert status == 200 and messages(answer["Quotes"][0]) == ["Title must not be more than 100 characters long."]


@pytest.mark.skipif(not spec.spec_available(), reason="Xero's OpenAPI files (../shared/xero-openapi) absent")
def test_the_limits_and_spellings_are_the_specs():
    import yaml
    with open(spec.openapi_dir() / spec.ACCOUNTING_FILE, "rb") as fh:
        schemas = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]["schemas"]
    for kind, schema in ((docrules.INVOICE, "Invoice"), (docrules.QUOTE, "Quote")):
        from_spec = {k: v["maxLength"] for k, v in schemas[schema]["properties"].items() if "maxLength" in v}
        assert from_spec == kind.limits, schema
    assert list(docrules.QUOTE.spelling.values()) == schemas["QuoteLineAmountTypes"]["enum"]
    assert list(docrules.INVOICE.spelling.values()) == schemas["LineAmountTypes"]["enum"]
    assert list(docrules.QUOTE.statuses) == schemas["QuoteStatusCodes"]["enum"]
    assert list(docrules.INVOICE.statuses) == schemas["Invoice"]["properties"]["Status"]["enum"]
    assert list(docrules.CREDIT_NOTE.statuses) == schemas["CreditNote"]["properties"]["Status"]["enum"]
