"""Items: plain values ⇄ Xero's Item JSON, and the checks made before any call."""
from xero.mappers import item

VALUES = {"code": "COF-1", "name": "House Blend", "description": "Medium roast", "purchase_description": "",
          "is_sold": True, "sale_price": 18.5, "sale_account": "200", "sale_tax": "OUTPUT2",
          "is_purchased": True, "purchase_price": 7.25, "purchase_account": "400", "purchase_tax": "INPUT2",
          "archived": False}


def test_a_create_carries_the_whole_item():
    assert item.to_xero(VALUES) == {
        "Code": "COF-1", "Name": "House Blend", "PurchaseDescription": "", "Description": "Medium roast",
        "IsSold": True, "SalesDetails": {"UnitPrice": 18.5, "AccountCode": "200", "TaxType": "OUTPUT2"},
        "IsPurchased": True, "PurchaseDetails": {"UnitPrice": 7.25, "AccountCode": "400", "TaxType": "INPUT2"}}


def test_an_update_carries_its_groups_and_always_the_code():
    payload = item.to_xero(dict(VALUES, xero_id="X1"), groups={"purchase"})
    assert payload == {"ItemID": "X1", "Code": "COF-1", "IsPurchased": True,
                       "PurchaseDetails": {"UnitPrice": 7.25, "AccountCode": "400", "TaxType": "INPUT2"}}


def test_a_tracked_item_buys_into_its_cost_of_goods_account():
    payload = item.to_xero(dict(VALUES, xero_id="X1", tracked=True, cogs_account="310"), groups={"purchase"})
    assert payload["PurchaseDetails"] == {"UnitPrice": 7.25, "COGSAccountCode": "310", "TaxType": "INPUT2"}


def test_archived_means_neither_sold_nor_purchased_and_back_sends_everything():
    archived = item.to_xero(dict(VALUES, xero_id="X1", archived=True), groups={"status", "sales"})
    assert archived == {"ItemID": "X1", "Code": "COF-1", "IsSold": False, "IsPurchased": False}
    back = item.to_xero(dict(VALUES, xero_id="X1"), groups={"status"})
    assert back["SalesDetails"]["UnitPrice"] == 18.5 and back["Name"] == "House Blend"
    values = item.from_xero({"ItemID": "X1", "Code": "C", "Name": "N", "IsSold": False, "IsPurchased": False})
    assert values["archived"]


def test_a_long_name_is_cut_at_a_word_and_kept_whole_in_the_description():
    name = "Organic single-origin Ethiopian Yirgacheffe coffee beans, 1 kg"
    payload = item.to_xero(dict(VALUES, name=name))
    assert payload["Name"] == "Organic single-origin Ethiopian Yirgacheffe coffee"
    assert payload["Description"] == name + "\nMedium roast"
    values = item.from_xero(dict(payload, ItemID="X1"))
    assert (values["name"], values["description"]) == (name, "Medium roast")
    assert item.group_hashes(values)["identity"] == item.group_hashes(VALUES | {"name": name})["identity"]
    assert item.short_name("x" * 60) == "x" * 50, "no word boundary: cut at 50"


def test_problems_name_the_field_and_a_code_is_compared_whatever_its_case():
    assert item.problems(dict(VALUES, code="C" * 31)) == [("code", "too_long", {"max": 30, "length": 31})]
    assert item.problems(dict(VALUES, code=" ")) == [("code", "required", {})]
    assert item.problems(dict(VALUES, name="n" * 80)) == [], "a long name is cut, not refused"
    assert item.group_hashes(dict(VALUES, code="cof-1")) == item.group_hashes(VALUES)


def test_names_match_on_letters_and_digits():
    assert item.normalise_name("Oat milk (1 L)") == item.normalise_name("OAT MILK 1L")
