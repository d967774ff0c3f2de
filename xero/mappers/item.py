"""Items: plain values ⇄ Xero's Item JSON.

The values dict is Odoo-free (the Odoo side fills it from product.product):
    code, name, description, purchase_description,
    is_sold, sale_price, sale_account, sale_tax,
    is_purchased, purchase_price, purchase_account, purchase_tax,
    archived, and from Xero only: tracked, quantity_on_hand, cogs_account, xero_id.
Accounts and taxes are Xero's codes (AccountCode, TaxType), resolved by the caller.

Xero's API has no archived item: an item archived on our side is made neither sold nor
purchased (it leaves Xero's pickers), and such an item in Xero counts as archived.
Xero keeps names to 50 characters: a longer name is cut at a word boundary and kept whole as
the first line of the Description, from where ``from_xero`` reads it back.
"""
import re

from . import common

MAX = {"code": 30, "name": 50, "description": 4000, "purchase_description": 4000}

GROUPS = {
    "identity": ("code", "name", "description", "purchase_description"),
    "sales": ("is_sold", "sale_price", "sale_account", "sale_tax"),
    "purchase": ("is_purchased", "purchase_price", "purchase_account", "purchase_tax"),
    "status": ("archived",),
}
PRICE_DIGITS = 4  # every read and write asks Xero for unitdp=4


def short_name(name):
    """``name`` within Xero's 50 characters, cut at the last word boundary that fits."""
    name = " ".join((name or "").split())
    if len(name) <= MAX["name"]:
        return name
    cut = name[:MAX["name"] + 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut if 0 < len(cut) <= MAX["name"] else name[:MAX["name"]]


def _description(values):
    """The sales description as sent: the whole name first when Xero's Name cuts it."""
    name = " ".join((values.get("name") or "").split())
    description = values.get("description") or ""
    if short_name(name) != name:
        return name + ("\n" + description if description else "")
    return description


# -- checks -------------------------------------------------------------------------------------

def problems(values):
    """What Xero would refuse, as (field, code, params), before any call is spent. The name is
    not one: it is cut."""
    found = []
    if not (values.get("code") or "").strip():
        found.append(("code", "required", {}))
    if not (values.get("name") or "").strip():
        found.append(("name", "required", {}))
    for field in ("code", "purchase_description"):
        value = values.get(field) or ""
        if len(value) > MAX[field]:
            found.append((field, "too_long", {"max": MAX[field], "length": len(value)}))
    description = _description(values)
    if len(description) > MAX["description"]:
        found.append(("description", "too_long", {"max": MAX["description"], "length": len(description)}))
    return found


# -- fingerprints -------------------------------------------------------------------------------

def _price(value):
    return round(float(value), PRICE_DIGITS) if value not in (None, False, "") else None


def _canonical(group, values):
    out = []
    for key in GROUPS[group]:
        value = values.get(key)
        if key.endswith("_price"):
            value = _price(value)
        elif key in ("is_sold", "is_purchased", "archived"):
            value = bool(value)
        elif key == "code":
            value = common.text(value).upper()  # Xero's codes are unique whatever their case
        else:
            value = common.text(value)
        out.append(value)
    return out


def group_hashes(values, groups=GROUPS):
    return common.group_hashes(_canonical, groups, values)


# -- values → Xero ------------------------------------------------------------------------------

def _details(price, account, tax, account_key="AccountCode"):
    details = {}
    if price is not None:
        details["UnitPrice"] = price
    if account:
        details[account_key] = account
    if tax:
        details["TaxType"] = tax
    return details


def to_xero(values, groups=None, create=None):
    """The Item payload.

    ``create`` (default: no ``xero_id``): the whole item. Otherwise an update of ``xero_id``
    carrying ``groups`` only. An archived item is sent neither sold nor purchased (Xero then
    clears its sales and purchase details): reactivating sends every group again.
    A tracked item's purchases go to its cost of goods sold account, which Xero holds.
    """
    if create is None:
        create = not values.get("xero_id")
    groups = set(GROUPS if groups is None or create else groups)
    if "status" in groups and not values.get("archived"):
        groups = set(GROUPS)  # back from archived: Xero cleared the details, send them all
    item = {} if create else {"ItemID": values["xero_id"]}
    item["Code"] = (values.get("code") or "").strip()  # required on every element, updates too
    if values.get("archived"):
        if create or "status" in groups:
            item.update(IsSold=False, IsPurchased=False)
        if "identity" in groups:
            item["Name"] = short_name(values.get("name"))
        return item
    if "identity" in groups:
        item["Name"] = short_name(values.get("name"))
        item["PurchaseDescription"] = values.get("purchase_description") or ""
    if "identity" in groups or "sales" in groups:
        # Sent with the sales group too: Xero clears it whenever IsSold goes false.
        item["Description"] = _description(values) if values.get("is_sold", True) else ""
    if "sales" in groups:
        item["IsSold"] = bool(values.get("is_sold", True))
        if item["IsSold"]:
            item["SalesDetails"] = _details(_price(values.get("sale_price")), values.get("sale_account"),
                                            values.get("sale_tax"))
    if "purchase" in groups:
        item["IsPurchased"] = bool(values.get("is_purchased", True))
        if item["IsPurchased"]:
            if values.get("tracked"):
                details = _details(_price(values.get("purchase_price")), values.get("cogs_account"),
                                   values.get("purchase_tax"), "COGSAccountCode")
            else:
                details = _details(_price(values.get("purchase_price")), values.get("purchase_account"),
                                   values.get("purchase_tax"))
            item["PurchaseDetails"] = details
    return item


# -- Xero → values ------------------------------------------------------------------------------

def _name_and_description(item):
    """Undo ``_description``: a first line that starts with the (cut) Name and is longer than
    Xero allows is the whole name."""
    name = item.get("Name") or ""
    description = item.get("Description") or ""
    first, _sep, rest = description.partition("\n")
    if name and len(first) > MAX["name"] and first.startswith(name):
        return first, rest
    return name, description


def from_xero(item):
    """Values for the Odoo side from an Item read from Xero."""
    sales = item.get("SalesDetails") or {}
    purchases = item.get("PurchaseDetails") or {}
    is_sold, is_purchased = item.get("IsSold", True), item.get("IsPurchased", True)
    name, description = _name_and_description(item)
    if not is_sold and not description:
        description = None  # Xero clears it on an item not sold: unknown, not emptied
    return {
        "xero_id": item.get("ItemID"),
        "code": item.get("Code"),
        "name": name,
        "description": description,
        "purchase_description": item.get("PurchaseDescription") or "",
        "is_sold": bool(is_sold),
        "sale_price": sales.get("UnitPrice"),
        "sale_account": sales.get("AccountCode"),
        "sale_tax": sales.get("TaxType"),
        "is_purchased": bool(is_purchased),
        "purchase_price": purchases.get("UnitPrice"),
        "purchase_account": purchases.get("AccountCode"),
        "cogs_account": purchases.get("COGSAccountCode"),
        "purchase_tax": purchases.get("TaxType"),
        "archived": not is_sold and not is_purchased,
        "tracked": bool(item.get("IsTrackedAsInventory")),
        "quantity_on_hand": item.get("QuantityOnHand"),
    }


_NON_WORD = re.compile(r"[\W_]+")


def normalise_name(name):
    """Names as compared when matching: letters and digits only ('Oat milk (1 L)' ~ 'Oat Milk 1L')."""
    return _NON_WORD.sub("", (name or "").casefold())
