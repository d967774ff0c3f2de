"""Items in the fake Xero, over real HTTP: through xero-python where it can say it, raw JSON
where it cannot (values its models refuse, requests against the spec on purpose).

Every request here must match Xero's OpenAPI description (the ``on_spec`` fixture) unless it
is sent inside ``on_spec.off()``. The organisation is NZ: accounts 200 Sales, 310 Cost of
Goods Sold, 630 Inventory ...; tax types OUTPUT2, INPUT2 (``chart.py``).
"""
import time

import pytest
from sandbox_client import Sdk, api
from xero_python.accounting import Item, Items, Purchase
from xero_python.exceptions import AccountingBadRequestException, ApiException

from xero_sandbox import itemrules, spec

pytestmark = pytest.mark.usefixtures("on_spec")

SOLD = {"UnitPrice": 12.5, "AccountCode": "200", "TaxType": "OUTPUT2"}
BOUGHT = {"UnitPrice": 7.25, "AccountCode": "310", "TaxType": "INPUT2"}


def items(*codes, **fields):
    return Items(items=[Item(code=c, **fields) for c in codes])


def send(fx, token, method, body, path="/Items", **params):
    """A raw write of ``body``; returns (status, the JSON answer)."""
    r = api(fx, method, path, token, fx.tid, body, params=params or None)
    return r.status_code, r.json()


def messages(element):
    return [e["Message"] for e in element.get("ValidationErrors", [])]


def stored(fx):
    return sorted(i["Code"] for i in fx.tenant(fx.tid).items.values())


# -- writes --------------------------------------------------------------------------------

def test_create_then_update_by_id_by_code_and_by_path(fx, sdk):
    acc = sdk.accounting
    made = acc.create_items(fx.tid, items("A1", name="Apple", description="Red",
                                          sales_details=Purchase(unit_price=2.5, account_code="200",
                                                                 tax_type="OUTPUT2"))).items[0]
    assert made.is_sold and made.is_purchased and made.is_tracked_as_inventory is False
    assert made.updated_date_utc.tzinfo is not None and made.sales_details.unit_price == 2.5
    item_id = str(made.item_id)
    assert fx.item(fx.tid, item_id)["Name"] == "Apple" and fx.item(fx.tid, "a1")["ItemID"] == item_id

    by_id = acc.update_or_create_items(fx.tid, Items(items=[Item(item_id=item_id, code="A1", name="Apple NZ")]))
    assert by_id.items[0].description == "Red"                  # omitted fields keep their value
    by_code = acc.update_or_create_items(fx.tid, items("a1", sales_details=Purchase(unit_price=3.0))).items[0]
    assert str(by_code.item_id) == item_id and by_code.code == "a1"
    assert by_code.sales_details.account_code == "200"          # details merge field by field
    by_path = acc.update_item(fx.tid, item_id, items("A1", purchase_description="Bought in")).items[0]
    assert by_path.name == "Apple NZ" and by_path.purchase_description == "Bought in"
    other = acc.update_or_create_items(fx.tid, items("B1", name="Banana")).items[0]
    assert str(other.item_id) != item_id and stored(fx) == ["A1", "B1"]


def test_a_code_taken_whatever_its_case_refuses_the_whole_request(fx, sdk):
    acc = sdk.accounting
    acc.create_items(fx.tid, items("A1"))
    with pytest.raises(AccountingBadRequestException) as err:
        acc.create_items(fx.tid, items("C1", "a1"))
    data = err.value.error_data
    assert data["ErrorNumber"] == 10 and data["Type"] == "ValidationException"
    assert [messages(e) for e in data["Elements"]] == [["Price List Item with Code 'a1' already exists"]]
    assert stored(fx) == ["A1"]                                 # C1 was not saved either
    # The same batch: the second element sees the first.
    answer = acc.create_items(fx.tid, items("D1", "d1"), summarize_errors=False).items
    assert [i.status_attribute_string for i in answer] == ["OK", "ERROR"]
    # POST: the second element updates the first.
    answer = acc.update_or_create_items(fx.tid, Items(items=[Item(code="E1", name="One"),
                                                             Item(code="e1", name="Two")])).items
    assert answer[0].item_id == answer[1].item_id and stored(fx) == ["A1", "D1", "e1"]


def test_summarize_errors_false_answers_each_element(fx, sdk, token):
    body = {"Items": [
        {"Code": "OK1", "SalesDetails": SOLD},
        {"Code": "BAD1", "SalesDetails": {"AccountCode": "999"}},
        {"Code": "OK2", "PurchaseDetails": BOUGHT},
        {"Code": "BAD2", "PurchaseDetails": {"TaxType": "NOPE"}},
    ]}
    status, answer = send(fx, token, "POST", body, summarizeErrors="false")
    assert status == 200
    got = [(i["StatusAttributeString"], messages(i)) for i in answer["Items"]]
    assert got == [("OK", []),
                   ("ERROR", ["Account code '999' is not a valid code for this document."]),
                   ("OK", []),
                   ("ERROR", ["The TaxType code NOPE does not exist or cannot be used for this type of transaction."])]
    assert answer["Items"][0]["ItemID"] and "ItemID" not in answer["Items"][1]
    assert stored(fx) == ["OK1", "OK2"]
    status, answer = send(fx, token, "POST", body)               # summarizeErrors defaults to true
    assert status == 400 and [e["Code"] for e in answer["Elements"]] == ["BAD1", "BAD2"]
    assert "StatusAttributeString" not in answer["Elements"][0]


def test_every_element_needs_its_code_updates_too(fx, sdk, token, on_spec):
    item_id = fx.add_item(fx.tid, {"Code": "A1", "Name": "Apple"})["ItemID"]
    with on_spec.off():                                          # the schema requires Code
        status, answer = send(fx, token, "POST", {"Items": [{"ItemID": item_id, "Name": "Apple NZ"}]})
        assert status == 400
        assert messages(answer["Elements"][0]) == ["Price List Item Code must be supplied"]
    status, answer = send(fx, token, "PUT", {"Items": [{"Code": "  ", "Name": "Blank"}]})
    assert messages(answer["Elements"][0]) == ["Price List Item Code must be supplied"]
    status, answer = send(fx, token, "POST", {"Items": [{"ItemID": "00000000-0000-0000-0000-000000000000",
                                                         "Code": "Z1"}]})
    assert status == 400
    assert messages(answer["Elements"][0]) == [
        "The item with ItemID 00000000-0000-0000-0000-000000000000 could not be found."]
    assert fx.item(fx.tid, "A1")["Name"] == "Apple"


def test_field_limits(fx, sdk, token, on_spec):
    fine = {"Code": "C" * 30, "Name": "N" * 50, "Description": "d" * 4000, "PurchaseDescription": "p" * 4000}
    assert send(fx, token, "PUT", {"Items": [fine]})[0] == 200
    with on_spec.off():                                          # longer than the schema allows
        status, answer = send(fx, token, "PUT", {"Items": [
            {"Code": "C" * 31}, {"Code": "LONG", "Name": "N" * 51, "Description": "d" * 4001},
            {"Code": "LONGER", "PurchaseDescription": "p" * 4001}]}, summarizeErrors="false")
    assert status == 200
    assert [messages(i) for i in answer["Items"]] == [
        ["Code must not be more than 30 characters long."],
        ["Name must not be more than 50 characters long.",
         "Description must not be more than 4000 characters long."],
        ["PurchaseDescription must not be more than 4000 characters long."]]
    assert stored(fx) == ["C" * 30]


def test_values_xero_cannot_read_fail_the_request(fx, sdk, token, on_spec):
    with on_spec.off():                                          # not numbers / booleans
        status, answer = send(fx, token, "PUT", {"Items": [
            {"Code": "P1", "SalesDetails": {"UnitPrice": "12.50"}}]})
        assert status == 200 and answer["Items"][0]["SalesDetails"]["UnitPrice"] == 12.5
        status, answer = send(fx, token, "PUT", {"Items": [
            {"Code": "P2"}, {"Code": "P3", "SalesDetails": {"UnitPrice": "twelve"}}]}, summarizeErrors="false")
        assert status == 400 and answer["Type"] == "PostDataInvalidException"
        assert "SalesDetails.UnitPrice" in answer["Message"]
        status, answer = send(fx, token, "PUT", {"Items": [{"Code": "P4", "IsSold": "yes"}]})
        assert status == 400 and answer["Type"] == "PostDataInvalidException"
    assert stored(fx) == ["P1"]


def test_read_only_fields_are_accepted_and_ignored(fx, sdk, token):
    status, answer = send(fx, token, "PUT", {"Items": [
        {"Code": "R1", "QuantityOnHand": 40, "TotalCostPool": 400, "IsTrackedAsInventory": True,
         "StatusAttributeString": "OK", "ValidationErrors": []}]})
    assert status == 200
    item = answer["Items"][0]
    assert item["IsTrackedAsInventory"] is False and "QuantityOnHand" not in item
    assert "StatusAttributeString" not in item and "ValidationErrors" not in item
    tracked = fx.add_item(fx.tid, {"Code": "T1", "InventoryAssetAccountCode": "630",
                                   "PurchaseDetails": {"COGSAccountCode": "310"}})
    send(fx, token, "POST", {"Items": [{"ItemID": tracked["ItemID"], "Code": "T1", "QuantityOnHand": 99,
                                        "TotalCostPool": 990}]})
    assert fx.item(fx.tid, "T1")["QuantityOnHand"] == 0 and fx.item(fx.tid, "T1")["TotalCostPool"] == 0


# -- tracked inventory ---------------------------------------------------------------------

def test_tracked_only_with_an_inventory_account_and_a_cogs_account(fx, sdk, token):
    status, answer = send(fx, token, "PUT", {"Items": [
        {"Code": "T1", "InventoryAssetAccountCode": "630",
         "PurchaseDetails": {"COGSAccountCode": "310", "AccountCode": "400", "UnitPrice": 4.0}},
        {"Code": "T2", "InventoryAssetAccountCode": "630", "PurchaseDetails": {"AccountCode": "310"}},
        {"Code": "T3", "PurchaseDetails": {"COGSAccountCode": "310"}},
    ]})
    assert status == 200
    t1, t2, t3 = answer["Items"]
    assert t1["IsTrackedAsInventory"] is True and t1["InventoryAssetAccountCode"] == "630"
    assert t1["QuantityOnHand"] == 0 and t1["TotalCostPool"] == 0
    assert t1["PurchaseDetails"] == {"COGSAccountCode": "310", "UnitPrice": 4.0}   # AccountCode: not applicable
    assert t2["IsTrackedAsInventory"] is False and "InventoryAssetAccountCode" not in t2
    assert t2["PurchaseDetails"] == {"AccountCode": "310"}
    assert t3["IsTrackedAsInventory"] is False and t3["PurchaseDetails"] == {}
    assert "QuantityOnHand" not in t2 and "TotalCostPool" not in t3
    # A POST that keeps the accounts keeps the item tracked.
    status, answer = send(fx, token, "POST", {"Items": [{"Code": "T1", "Name": "Widget"}]})
    assert answer["Items"][0]["IsTrackedAsInventory"] is True


def test_the_inventory_asset_account_must_be_an_active_inventory_account(fx, sdk, token):
    accounts = fx.tenant(fx.tid).accounts
    inventory = accounts.account("630")
    accounts[inventory["AccountID"]] = dict(inventory, Code="631", Status="ARCHIVED")
    status, answer = send(fx, token, "PUT", {"Items": [
        {"Code": "X%d" % n, "InventoryAssetAccountCode": code, "PurchaseDetails": {"COGSAccountCode": "310"}}
        for n, code in enumerate(("200", "999", "631"))]}, summarizeErrors="false")
    assert [messages(i) for i in answer["Items"]] == [
        ["Account code '%s' is not a valid inventory asset account." % c] for c in ("200", "999", "631")]
    assert stored(fx) == []


def test_stock_is_set_by_the_fake_and_an_item_holding_stock_stays_tracked(fx, sdk, token, clock):
    item = fx.add_item(fx.tid, {"Code": "T1", "InventoryAssetAccountCode": "630",
                                "PurchaseDetails": {"COGSAccountCode": "310", "UnitPrice": 2.5}})
    clock.advance(5)
    stocked = fx.set_quantity_on_hand(fx.tid, "t1", 10)
    assert stocked["QuantityOnHand"] == 10.0 and stocked["TotalCostPool"] == 25.0
    assert stocked["UpdatedDateUTC"] != item["UpdatedDateUTC"]
    read = sdk.accounting.get_item(fx.tid, item["ItemID"]).items[0]
    assert read.quantity_on_hand == 10 and read.total_cost_pool == 25
    assert fx.set_quantity_on_hand(fx.tid, item["ItemID"], 3, total_cost_pool=9.99)["TotalCostPool"] == 9.99

    untrack = {"Items": [{"Code": "T1", "InventoryAssetAccountCode": ""}]}
    status, answer = send(fx, token, "POST", untrack)
    assert status == 400
    assert messages(answer["Elements"][0]) == ["The item cannot be untracked while it has a quantity on hand."]
    fx.set_quantity_on_hand(fx.tid, "T1", 0)
    status, answer = send(fx, token, "POST", untrack)
    assert status == 200 and answer["Items"][0]["IsTrackedAsInventory"] is False
    with pytest.raises(ValueError):
        fx.set_quantity_on_hand(fx.tid, "T1", 5)                # untracked items hold no stock
    with pytest.raises(KeyError):
        fx.set_quantity_on_hand(fx.tid, "NOPE", 5)


# -- accounts and tax types ----------------------------------------------------------------

def test_accounts_and_tax_types_must_be_usable(fx, sdk, token):
    cases = [
        ({"SalesDetails": SOLD}, []),
        ({"PurchaseDetails": BOUGHT}, []),
        ({"SalesDetails": {"AccountCode": "4000", "TaxType": "ZERORATED"}}, []),
        ({"SalesDetails": {"AccountCode": "999"}}, ["Account code '999' is not a valid code for this document."]),
        ({"SalesDetails": {"AccountCode": "090"}}, ["Account code '090' is not a valid code for this document."]),
        ({"SalesDetails": {"AccountCode": "610"}}, ["Account code '610' is not a valid code for this document."]),
        ({"SalesDetails": {"AccountCode": "250"}}, ["Account code '250' is not a valid code for this document."]),
        ({"SalesDetails": {"TaxType": "OUTPUT"}},
         ["The TaxType code OUTPUT does not exist or cannot be used for this type of transaction."]),
        ({"SalesDetails": {"AccountCode": "200", "TaxType": "INPUT2"}},
         ["The TaxType code 'INPUT2' cannot be used with account code '200'."]),
        ({"PurchaseDetails": {"AccountCode": "400", "TaxType": "OUTPUT2"}},
         ["The TaxType code 'OUTPUT2' cannot be used with account code '400'."]),
        ({"PurchaseDetails": {"COGSAccountCode": "999"}},
         ["Account code '999' is not a valid code for this document."]),
    ]
    body = {"Items": [dict(fields, Code="K%02d" % n) for n, (fields, _) in enumerate(cases)]}
    status, answer = send(fx, token, "PUT", body, summarizeErrors="false")
    assert status == 200
    assert [messages(i) for i in answer["Items"]] == [expected for _, expected in cases]


def test_is_sold_or_purchased_false_nulls_their_details(fx, sdk):
    acc = sdk.accounting
    full = Item(code="S1", name="Both", description="Sold as", purchase_description="Bought as",
                sales_details=Purchase(unit_price=5.0, account_code="200", tax_type="OUTPUT2"),
                purchase_details=Purchase(unit_price=3.0, account_code="310", tax_type="INPUT2"))
    made = acc.create_items(fx.tid, Items(items=[full])).items[0]
    assert made.is_sold is True and made.is_purchased is True        # the defaults
    not_sold = acc.update_item(fx.tid, made.item_id, Items(items=[Item(code="S1", is_sold=False)])).items[0]
    assert not_sold.description is None and not_sold.sales_details.account_code is None
    assert not_sold.purchase_description == "Bought as" and not_sold.purchase_details.unit_price == 3
    stored_item = fx.item(fx.tid, "S1")
    assert "Description" not in stored_item and stored_item["SalesDetails"] == {}
    not_bought = acc.update_item(fx.tid, made.item_id, Items(items=[Item(
        code="S1", is_purchased=False, purchase_details=Purchase(unit_price=9.0))])).items[0]
    assert not_bought.purchase_description is None and fx.item(fx.tid, "S1")["PurchaseDetails"] == {}
    again = acc.update_item(fx.tid, made.item_id, Items(items=[Item(
        code="S1", is_sold=True, sales_details=Purchase(unit_price=6.0))])).items[0]
    assert again.is_sold and again.sales_details.unit_price == 6 and again.description is None


def test_unit_prices_are_kept_at_two_decimals_unless_unitdp_4(fx, sdk):
    acc = sdk.accounting
    four = acc.create_items(fx.tid, items("U4", sales_details=Purchase(unit_price=12.3456)), unitdp=4).items[0]
    assert float(four.sales_details.unit_price) == 12.3456
    two = acc.create_items(fx.tid, items("U2", purchase_details=Purchase(unit_price=2.675))).items[0]
    assert float(two.purchase_details.unit_price) == 2.68       # halves away from zero
    assert fx.item(fx.tid, "U4")["SalesDetails"]["UnitPrice"] == 12.3456
    assert float(acc.get_item(fx.tid, four.item_id).items[0].sales_details.unit_price) == 12.35
    assert float(acc.get_item(fx.tid, four.item_id, unitdp=4).items[0].sales_details.unit_price) == 12.3456
    listed = {i.code: i for i in acc.get_items(fx.tid, unitdp=4).items}
    assert float(listed["U4"].sales_details.unit_price) == 12.3456
    assert fx.item(fx.tid, "U4")["SalesDetails"]["UnitPrice"] == 12.3456       # reads change nothing
    # Xero's trap: a write without unitdp=4 rounds the stored prices of the item it saves.
    acc.update_item(fx.tid, four.item_id, items("U4", name="Renamed"))
    assert fx.item(fx.tid, "U4")["SalesDetails"]["UnitPrice"] == 12.35


# -- reads ---------------------------------------------------------------------------------

def test_list_if_modified_since_where_and_order(fx, sdk, clock):
    acc = sdk.accounting
    acc.create_items(fx.tid, Items(items=[
        Item(code="B2", name="Bravo", is_sold=False), Item(code="a1", name="Alpha")]))
    clock.advance(60)
    since = clock.utcnow()
    clock.advance(1)
    acc.create_items(fx.tid, items("C3", name="Charlie"))
    clock.advance(1)
    acc.update_or_create_items(fx.tid, items("A1", description="changed"))

    def codes(**kw):
        return [i.code for i in acc.get_items(fx.tid, **kw).items]
    assert codes() == ["A1", "B2", "C3"]                         # no paging; listed by Code
    assert codes(if_modified_since=since) == ["A1", "C3"]
    assert codes(where="IsSold==true") == ["A1", "C3"]
    assert codes(where='Code.StartsWith("B") OR Name=="Charlie"') == ["B2", "C3"]
    assert codes(where='Code!=null AND Code.ToLower()=="a1"') == ["A1"]   # the client's filter
    assert codes(order="Name DESC") == ["C3", "B2", "A1"]
    assert codes(order="UpdatedDateUTC ASC") == ["B2", "C3", "A1"]
    assert codes(where="IsSold==true", order="Code DESC", if_modified_since=since) == ["C3", "A1"]
    with pytest.raises(AccountingBadRequestException) as err:
        acc.get_items(fx.tid, where='Code=="unterminated')
    assert err.value.error_data["Type"] == "QueryParseException"


def test_get_by_id_or_code_and_delete(fx, sdk, token, on_spec):
    item_id = fx.add_item(fx.tid, {"Code": "Widget-1", "Name": "Widget"})["ItemID"]
    assert sdk.accounting.get_item(fx.tid, item_id.upper()).items[0].code == "Widget-1"
    with on_spec.off():                                          # the spec's ItemID is a uuid
        r = api(fx, "GET", "/Items/widget-1", token, fx.tid)
        assert r.status_code == 200 and r.json()["Items"][0]["ItemID"] == item_id
        assert api(fx, "GET", "/Items/nothing", token, fx.tid).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ApiException) as err:
        sdk.accounting.get_item(fx.tid, missing)
    assert err.value.status == 404
    assert api(fx, "POST", "/Items/" + missing, token, fx.tid, {"Items": [{"Code": "Ghost"}]}).status_code == 404

    assert sdk.accounting.delete_item(fx.tid, item_id) is None
    assert fx.requests[-1].status == 204 and fx.requests[-1].response_body == b""
    assert fx.item(fx.tid, item_id) is None
    with pytest.raises(ApiException) as err:
        sdk.accounting.delete_item(fx.tid, item_id)
    assert err.value.status == 404
    fx.add_item(fx.tid, {"Code": "Widget-1"})                   # the code is free again


def test_items_need_the_settings_scope_and_replay_idempotent_writes(fx):
    fx.add_app("contacts-only", "secret", tenants=[fx.tid], custom=True, scopes="accounting.contacts")
    reader = Sdk(fx, "contacts-only", "secret")
    reader.client_credentials()
    with pytest.raises(ApiException) as err:
        reader.accounting.get_items(fx.tid)
    assert err.value.status == 403
    fx.add_app("reader", "secret", tenants=[fx.tid], custom=True, scopes="accounting.settings.read")
    reader = Sdk(fx, "reader", "secret")
    reader.client_credentials()
    assert reader.accounting.get_items(fx.tid).items == []
    with pytest.raises(ApiException) as err:
        reader.accounting.create_items(fx.tid, items("N1"))
    assert err.value.status == 403

    writer = Sdk(fx)
    writer.client_credentials()
    first = writer.accounting.create_items(fx.tid, items("I1"), idempotency_key="item-1").items[0]
    again = writer.accounting.create_items(fx.tid, items("I1"), idempotency_key="item-1").items[0]
    assert again.item_id == first.item_id and stored(fx) == ["I1"]


def test_twenty_thousand_items_list_and_filter_fast(fx, sdk, token, clock, on_spec):
    for i in range(20000):
        fx.add_item(fx.tid, {"Code": "ITEM-%05d" % i, "Name": "Item %05d" % i,
                             "SalesDetails": {"UnitPrice": 10 + i / 100.0, "AccountCode": "200"}})
    clock.advance(60)
    since = clock.utcnow()
    clock.advance(1)
    send(fx, token, "POST", {"Items": [{"Code": "item-00042", "Name": "Changed"}]})

    started = time.perf_counter()
    r = api(fx, "GET", "/Items", token, fx.tid)
    assert len(r.json()["Items"]) == 20000 and time.perf_counter() - started < 5
    started = time.perf_counter()
    r = api(fx, "GET", "/Items", token, fx.tid, headers={"If-Modified-Since": since.isoformat()})
    assert [i["Code"] for i in r.json()["Items"]] == ["item-00042"]
    with on_spec.off():
        r = api(fx, "GET", "/Items/item-19999", token, fx.tid)
    assert r.status_code == 200 and time.perf_counter() - started < 1


# -- the OpenAPI description ---------------------------------------------------------------

@pytest.mark.skipif(not spec.spec_available(), reason="Xero's OpenAPI files (../shared/xero-openapi) absent")
def test_item_field_lengths_match_the_spec():
    import yaml
    with open(spec.openapi_dir() / spec.ACCOUNTING_FILE, "rb") as fh:
        schemas = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]["schemas"]
    from_spec = {k: v["maxLength"] for k, v in schemas["Item"]["properties"].items() if "maxLength" in v}
    assert from_spec == itemrules.ITEM_MAX
    assert schemas["Item"]["required"] == ["Code"]
