"""The lines of a sales document: what Xero fills in, computes and refuses on each line.

After Xero's OpenAPI description (schema LineItem, A:20668-20790) and what its users report:

- a line with no Quantity, UnitAmount or LineAmount is a description-only line (a heading or a
  note); it needs a Description and keeps nothing else: its ItemCode is dropped, a bug Xero's
  staff know of (xero-node#243);
- an ItemCode must name an item; the item fills what the line leaves out: Description, unit
  price, account and tax type (its SalesDetails on sales documents, PurchaseDetails on bills),
  and the answer carries ``Item`` {ItemID, Name, Code};
- Quantity defaults to 1; with a LineAmount and no UnitAmount, the unit amount is derived; a
  negative quantity is refused ("The quantity value '-1.0000' is invalid. Quantity must not be
  less than zero.", reported by WorkGuru); a LineAmount that disagrees with Quantity x
  UnitAmount is refused ("The line total X does not match the expected line total of Y",
  reported by QicWorks);
- UnitAmount is rounded to the document's decimals (``money.py``), LineAmount and TaxAmount
  to 2; a TaxAmount sent is kept ("This value can be overriden", A:20711);
- AccountCode (or AccountID) must name an ACTIVE account a document may post to: not a bank
  account, not a system account except ROUNDING ("Account code 'X' is not a valid code for this
  document."); a line without one takes no tax from it, and an approved document needs one on
  every line that has an amount;
- TaxType must name an ACTIVE rate for this side of the books (revenue for sales documents,
  expenses for bills: "The TaxType code X does not exist or cannot be used for this type of
  transaction.") that applies to the account's class ("The TaxType code 'X' cannot be used
  with account code 'Y'."); without one the line takes its account's tax type;
- at most 2 Tracking entries (A:20717), each an ACTIVE category (by TrackingCategoryID or Name)
  and an ACTIVE option of it (by TrackingOptionID or Option); the answer carries both IDs and
  names.

The tracking and item messages are the fake's own wording: Xero's are not published.
"""
import uuid

from . import money
from .chart import CAN_APPLY
from .itemrules import ACCOUNT_INVALID, TAX_INVALID, TAX_NOT_FOR_ACCOUNT
from .recordstore import fold

QUANTITY_NEGATIVE = "The quantity value '%s' is invalid. Quantity must not be less than zero."
LINE_TOTAL = "The line total %s does not match the expected line total of %s"
DESCRIPTION_REQUIRED = "Description needs to be at least 1 char long"      # the spec's words
ITEM_INVALID = "Item code '%s' is not valid for this organisation."          # [fake]
ACCOUNT_REQUIRED = "An account code must be specified on every line of an approved document."  # [fake]
TRACKING_TOO_MANY = "A line item can have a maximum of 2 tracking categories."  # [fake]
TRACKING_CATEGORY = "The tracking category %s does not exist or is not active."   # [fake]
TRACKING_OPTION = "The tracking option %s does not exist or is not active in the tracking category %s."  # [fake]
MAX_TRACKING = 2

# Fields a client sends on a line; the rest of an answered line is computed.
NUMBERS = ("Quantity", "UnitAmount", "LineAmount", "TaxAmount", "DiscountRate", "DiscountAmount")
TEXTS = ("LineItemID", "Description", "ItemCode", "AccountCode", "AccountID", "TaxType")


class Pricing:
    """What one document's lines are priced with: the organisation's items, accounts, tax rates
    and tracking categories; the side of the books (sales or purchases); the folded line
    amount type; the decimals of unit amounts."""

    def __init__(self, tenant, sales, amounts, places):
        self.items = tenant.items
        self.accounts = tenant.accounts
        self.tax_rates = tenant.tax_rates
        self.tracking = tenant.tracking_categories
        self.sales = sales
        self.amounts = amounts
        self.places = places


def is_description_only(line):
    return all(line.get(k) is None for k in ("Quantity", "UnitAmount", "LineAmount"))


def usable_on_document(account):
    """Whether a document line may post to ``account``: ACTIVE, not a bank account, not a system
    account except ROUNDING (where a client puts the rounding adjustment the guide describes)."""
    return (bool(account) and account.get("Status") == "ACTIVE" and account.get("Type") != "BANK"
            and account.get("SystemAccount") in (None, "ROUNDING"))


def _line_id(line, known):
    given = line.get("LineItemID")
    return given if given and given.lower() in known else str(uuid.uuid4())


def price(line, pricing, known_ids=()):
    """(the line as Xero stores it, error messages) for one sent line (``line``, read and
    merged over the stored line of the same LineItemID); ``known_ids``: the document's stored
    LineItemIDs (lower-cased), which a line keeps; any other line gets a new one."""
    out = {"LineItemID": _line_id(line, known_ids)}
    description = line.get("Description")
    if is_description_only(line):
        if not (description or "").strip():
            return out, [DESCRIPTION_REQUIRED]
        out.update(Description=description, LineAmount=0.0, TaxAmount=0.0, Tracking=[])
        return out, []

    errors = []
    item, details = None, {}
    if line.get("ItemCode"):
        item = pricing.items.get(pricing.items.by_code(line["ItemCode"]))
        if item is None:
            errors.append(ITEM_INVALID % line["ItemCode"])
        else:
            details = item.get("SalesDetails" if pricing.sales else "PurchaseDetails") or {}
            if description is None:
                description = item.get("Description" if pricing.sales else "PurchaseDescription")
            out["ItemCode"] = item["Code"]
            out["Item"] = {"ItemID": item["ItemID"], "Name": item.get("Name") or item["Code"], "Code": item["Code"]}
    if description is not None:
        out["Description"] = description

    amount, quantity, unit = _amounts(line, details, pricing, errors)
    out.update(Quantity=money.number(quantity), UnitAmount=money.number(unit))
    for key in ("DiscountRate", "DiscountAmount"):
        if line.get(key):
            out[key] = money.number(money.rounded(line[key], 4 if key == "DiscountRate" else 2))

    account = _account(line, details, pricing, errors)
    if account:
        out.update(AccountCode=account["Code"], AccountID=account["AccountID"])
    rate = _rate(line, details, account, pricing, errors)
    tax = money.ZERO
    if rate:
        out["TaxType"] = rate["TaxType"]
        tax = money.line_tax(amount, rate.get("EffectiveRate"), pricing.amounts)
    if line.get("TaxAmount") is not None and pricing.amounts != "notax":
        tax = money.rounded(line["TaxAmount"])
    out.update(TaxAmount=money.number(tax), LineAmount=money.number(amount))
    out["Tracking"] = _tracking(line.get("Tracking") or [], pricing.tracking, errors)
    return out, errors


def _amounts(line, details, pricing, errors):
    """(LineAmount, Quantity, UnitAmount) as Decimals, checking what was sent."""
    quantity, unit, sent_total = (money.dec(line.get(k)) for k in ("Quantity", "UnitAmount", "LineAmount"))
    if unit is None and details.get("UnitPrice") is not None and sent_total is None:
        unit = money.dec(details["UnitPrice"])
    derived = False
    if quantity is None:
        quantity = sent_total / unit if (sent_total is not None and unit) else 1
        derived = sent_total is not None
    if unit is None:
        unit = sent_total / quantity if (sent_total is not None and quantity) else 0
        derived = derived or sent_total is not None
    quantity = money.rounded(quantity, 4)
    if quantity < 0:
        errors.append(QUANTITY_NEGATIVE % ("%.4f" % quantity))
    unit = money.rounded(unit, pricing.places)
    amount = money.line_amount(quantity, unit, line.get("DiscountRate"), line.get("DiscountAmount"))
    if sent_total is not None:
        if derived:
            amount = money.rounded(sent_total)
        elif money.rounded(sent_total) != amount:
            errors.append(LINE_TOTAL % (money.rounded(sent_total), amount))
    return amount, quantity, unit


def _account(line, details, pricing, errors):
    accounts = pricing.accounts
    if line.get("AccountID"):
        account = accounts.get(accounts.find_id(line["AccountID"]))
        named = line["AccountID"]
    else:
        named = line.get("AccountCode") or details.get("AccountCode")
        if not named:
            return None
        account = accounts.account(named)
    if not usable_on_document(account):
        errors.append(ACCOUNT_INVALID % named)
        return None
    return account


def _rate(line, details, account, pricing, errors):
    """The tax rate of the line: the one it names (checked), else its item's, else its
    account's; None for none."""
    rates = pricing.tax_rates
    named = line.get("TaxType")
    if not named:
        default = details.get("TaxType") or (account or {}).get("TaxType")
        rate = rates.rate(default) if default else None
        return rate if rate and rate.get("Status") == "ACTIVE" else None
    rate = rates.rate(named)
    side = "CanApplyToRevenue" if pricing.sales else "CanApplyToExpenses"
    if not rate or rate.get("Status") != "ACTIVE" or not rate.get(side):
        errors.append(TAX_INVALID % named)
        return None
    if account and not rate.get(CAN_APPLY.get(account.get("Class"))):
        errors.append(TAX_NOT_FOR_ACCOUNT % (named, account["Code"]))
        return None
    return rate


def _tracking(entries, categories, errors):
    if len(entries) > MAX_TRACKING:
        errors.append(TRACKING_TOO_MANY)
        return []
    out = []
    for entry in entries:
        category = None
        if entry.get("TrackingCategoryID"):
            category = categories.get(categories.find_id(entry["TrackingCategoryID"]))
        elif entry.get("Name"):
            category = categories.category(entry["Name"])
        named = entry.get("Name") or entry.get("TrackingCategoryID")
        if not category or category.get("Status") != "ACTIVE":
            errors.append(TRACKING_CATEGORY % named)
            continue
        wanted_id, wanted = (entry.get("TrackingOptionID") or "").lower(), fold(entry.get("Option"))
        option = next((o for o in category.get("Options") or ()
                       if (wanted_id and o["TrackingOptionID"].lower() == wanted_id)
                       or (not wanted_id and wanted and fold(o["Name"]) == wanted)), None)
        if not option or option.get("Status") != "ACTIVE":
            errors.append(TRACKING_OPTION % (entry.get("Option") or entry.get("TrackingOptionID"), category["Name"]))
            continue
        out.append({"Name": category["Name"], "Option": option["Name"],
                    "TrackingCategoryID": category["TrackingCategoryID"],
                    "TrackingOptionID": option["TrackingOptionID"]})
    return out


def needs_account(line):
    """Whether an approved document refuses this stored line: it has an amount but no account."""
    return not line.get("AccountCode") and line.get("Quantity") is not None


def at_places(line, places):
    """The stored line as answered with its unit amount at ``places`` decimals."""
    unit = line.get("UnitAmount")
    if places == 4 or unit is None:
        return line
    shown = money.number(money.rounded(unit, places))
    return line if shown == unit else dict(line, UnitAmount=shown)
