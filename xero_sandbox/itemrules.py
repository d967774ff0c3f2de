"""Xero's rules for items: what it derives when it saves one, and the messages for an element's
``ValidationErrors``.

Lengths come from Xero's OpenAPI description (schema Item; a test checks the table against
the file when it is there). Messages Xero is known to send (reported by its API users):
"Price List Item Code must be supplied", "Price List Item with Code 'X' already exists" (the
spec's example), "Account code 'X' is not a valid code for this document.", "The TaxType code
X does not exist or cannot be used for this type of transaction." and "The TaxType code 'X'
cannot be used with account code 'Y'.". The inventory account and untracking messages are the
fake's own wording: Xero's are not published.
"""
from decimal import ROUND_HALF_UP, Decimal

from .chart import CAN_APPLY
from .rules import length_errors

ITEM_MAX = {"Code": 30, "Name": 50, "Description": 4000, "PurchaseDescription": 4000}
DETAILS = ("SalesDetails", "PurchaseDetails")

CODE_REQUIRED = "Price List Item Code must be supplied"
CODE_TAKEN = "Price List Item with Code '%s' already exists"
ACCOUNT_INVALID = "Account code '%s' is not a valid code for this document."
INVENTORY_ACCOUNT_INVALID = "Account code '%s' is not a valid inventory asset account."
TAX_INVALID = "The TaxType code %s does not exist or cannot be used for this type of transaction."
TAX_NOT_FOR_ACCOUNT = "The TaxType code '%s' cannot be used with account code '%s'."
UNTRACK_WITH_STOCK = "The item cannot be untracked while it has a quantity on hand."


def round_price(value, places):
    """A unit price at ``places`` decimals, halves away from zero (as decimals, not floats)."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _is_inventory(account):
    return bool(account) and account.get("Type") == "INVENTORY"


def settle(record, accounts, places):
    """What Xero derives when it saves ``record`` (changed in place; ``accounts``: the
    tenant's AccountStore; ``places``: 2, or 4 with unitdp=4):

    - IsSold false nulls Description and SalesDetails, IsPurchased false nulls
      PurchaseDescription and PurchaseDetails (the spec's words);
    - the item is tracked when InventoryAssetAccountCode names an INVENTORY account and
      PurchaseDetails has a COGSAccountCode. A tracked item has QuantityOnHand and
      TotalCostPool and buys to its COGS account (PurchaseDetails.AccountCode is "not
      applicable"); an untracked one has neither, nor an inventory or COGS account;
    - every unit price is rounded to ``places``, stored ones included: a write without
      unitdp=4 loses the 4-decimal prices of the items it saves, as on Xero.
    """
    for key in DETAILS:
        record[key] = record.get(key) or {}
    if record.get("IsSold") is False:
        record.pop("Description", None)
        record["SalesDetails"] = {}
    if record.get("IsPurchased") is False:
        record.pop("PurchaseDescription", None)
        record["PurchaseDetails"] = {}
    purchase = record["PurchaseDetails"]
    tracked = (_is_inventory(accounts.account(record.get("InventoryAssetAccountCode")))
               and bool(purchase.get("COGSAccountCode")))
    record["IsTrackedAsInventory"] = tracked
    if tracked:
        purchase.pop("AccountCode", None)
        record.setdefault("QuantityOnHand", 0.0)
        record.setdefault("TotalCostPool", 0.0)
    else:
        purchase.pop("COGSAccountCode", None)
        for key in ("InventoryAssetAccountCode", "QuantityOnHand", "TotalCostPool"):
            record.pop(key, None)
    for key in DETAILS:
        if record[key].get("UnitPrice") is not None:
            record[key]["UnitPrice"] = round_price(record[key]["UnitPrice"], places)
    return record


def _usable(account):
    """Whether items may post to ``account``: active, neither a bank nor a system account."""
    return (bool(account) and account.get("Status") == "ACTIVE" and account.get("Type") != "BANK"
            and not account.get("SystemAccount"))


def _details_errors(details, accounts, tax_rates):
    errors, usable = [], []
    for field in ("AccountCode", "COGSAccountCode"):
        code = details.get(field)
        if code:
            account = accounts.account(code)
            if _usable(account):
                usable.append(account)
            else:
                errors.append(ACCOUNT_INVALID % code)
    tax_type = details.get("TaxType")
    if tax_type:
        rate = tax_rates.rate(tax_type)
        if not rate or rate.get("Status") != "ACTIVE":
            errors.append(TAX_INVALID % tax_type)
        else:
            errors += [TAX_NOT_FOR_ACCOUNT % (tax_type, a["Code"]) for a in usable
                       if not rate.get(CAN_APPLY.get(a.get("Class")))]
    return errors


def item_errors(merged, incoming, item_id, others, accounts, tax_rates):
    """Messages for one item about to be saved.

    ``merged``: the stored item with the element's fields over it, before ``settle``;
    ``incoming``: what the element sent (its Code is required, updates included: the
    schema requires it); ``item_id``: the item's ID (None when new); ``others``: the tenant's
    items as the request sees them (an ItemStore or its pending ``changes()``).
    Accounts and tax rates are checked where the element sends them.
    """
    errors = []
    code = incoming.get("Code")
    if not isinstance(code, str) or not code.strip():
        errors.append(CODE_REQUIRED)
    elif any(other != item_id for other in others.with_code(code)):
        errors.append(CODE_TAKEN % code)
    errors += length_errors(merged, ITEM_MAX)
    inventory = incoming.get("InventoryAssetAccountCode")
    if inventory:
        account = accounts.account(inventory)
        if not (_is_inventory(account) and account.get("Status") == "ACTIVE"):
            errors.append(INVENTORY_ACCOUNT_INVALID % inventory)
    for key in DETAILS:
        if incoming.get(key):
            errors += _details_errors(merged[key], accounts, tax_rates)
    return errors


def untrack_errors(stored, settled):
    """Xero keeps stock on tracked items only: one holding stock cannot become untracked."""
    if stored.get("IsTrackedAsInventory") and not settled["IsTrackedAsInventory"] \
            and stored.get("QuantityOnHand"):
        return [UNTRACK_WITH_STOCK]
    return []
