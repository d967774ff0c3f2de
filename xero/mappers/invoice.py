"""Sales orders: plain values → Xero's Invoice or Quote JSON, and Xero's totals computed here.

The values dict is Odoo-free (the Odoo side fills it from sale.order / account.move):
    contact_id (Xero's ContactID, required), date, due_date, expiry_date (quotes),
    reference, number (InvoiceNumber / QuoteNumber, when Odoo numbers), currency,
    currency_rate, amounts ("exclusive" | "inclusive" | "notax"), status, url,
    branding_theme_id, title, summary, terms (quotes),
    lines [{description, quantity, unit_amount, item_code, account_code, tax_type,
            discount_rate, tracking [{name, option}], line_item_id}].
Accounts and taxes are Xero's codes (AccountCode, TaxType), resolved by the caller; dates are
sent as YYYY-MM-DD (``datetime.date`` values are accepted too).

``A:n`` below is line n of Xero's OpenAPI description, xero_accounting.yaml v16.1.0.
Empty values are left out so that Xero completes them (a draft needs no AccountCode).
A line with neither quantity nor unit amount (an Odoo section or note) is sent as a
description-only line. Xero refuses a negative quantity: such a line is sent with the
quantity made positive and the unit amount negated, which keeps its amount.
"""
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

# LineAmountTypes: the same three choices, spelled differently on each object.
INVOICE_AMOUNTS = {"exclusive": "Exclusive", "inclusive": "Inclusive", "notax": "NoTax"}   # A:20661
QUOTE_AMOUNTS = {"exclusive": "EXCLUSIVE", "inclusive": "INCLUSIVE", "notax": "NOTAX"}     # A:24355
INVOICE_STATUSES = ("DRAFT", "SUBMITTED", "DELETED", "AUTHORISED", "PAID", "VOIDED")       # A:22380
QUOTE_STATUSES = ("DRAFT", "SENT", "DECLINED", "ACCEPTED", "INVOICED", "DELETED")          # A:24362

# Header limits per object. An invoice's Reference has no limit in the spec (A:22362).
INVOICE_MAX = {"number": 255}                                                  # A:22358
QUOTE_MAX = {"number": 255, "reference": 4000, "terms": 4000,                  # A:24257-24267
             "title": 100, "summary": 3000}                                    # A:24324-24331
MAX = {"invoice": INVOICE_MAX, "quote": QUOTE_MAX}
# Lines. The LineItem schema gives Description no limit (A:20677); an item's Description is
# 4000 (A:22604) and a line takes its description from the item: the same limit is assumed
# [UNVERIFIED]. A tracking category's Name is 100 (A:20782); two categories at most (A:20717).
LINE_MAX = {"description": 4000, "tracking_name": 100}
MAX_TRACKING = 2

PRICE_DIGITS = 4  # UnitAmount: every invoice write asks for unitdp=4; quotes keep 4 dp anyway
_PRICE = Decimal(1).scaleb(-PRICE_DIGITS)
_CENT = Decimal("0.01")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- helpers ------------------------------------------------------------------------------------

def _empty(value):
    return value is None or value == "" or value == [] or value == {}


def _put(target, key, value):
    """Set ``key`` unless the value is empty: Xero then completes it (or leaves it unset)."""
    if not _empty(value):
        target[key] = value


def _date(value):
    """YYYY-MM-DD: Xero's request format (a ``/Date(ms)/`` or local datetime can shift the day)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    return value or None


def _decimal(value):
    return Decimal(str(value)) if not _empty(value) else None


def _unit(value):
    """A unit amount rounded as sent: 4 dp, half up."""
    return _decimal(value).quantize(_PRICE, ROUND_HALF_UP)


def _number(value):
    """A JSON number: an int when whole (1, not 1.0), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _amounts(values):
    amounts = (values.get("amounts") or "exclusive").lower()
    if amounts not in INVOICE_AMOUNTS:
        raise ValueError(f"amounts must be one of {', '.join(INVOICE_AMOUNTS)}, not {amounts!r}")
    return amounts


def is_description_only(line):
    """An Odoo section or note: no quantity and no unit amount, only text."""
    return _empty(line.get("quantity")) and _empty(line.get("unit_amount"))


def _signed(line):
    """(quantity, unit amount) as Xero takes them: a negative quantity moves its sign to the
    price (Xero refuses negative quantities); either may be None."""
    quantity, unit = _decimal(line.get("quantity")), line.get("unit_amount")
    unit = _unit(unit) if not _empty(unit) else None
    if quantity is not None and quantity < 0:
        quantity = -quantity
        unit = -unit if unit is not None else None
    return quantity, unit


def _line(line):
    out = {}
    _put(out, "LineItemID", line.get("line_item_id"))
    _put(out, "Description", line.get("description"))
    if is_description_only(line):
        return out
    quantity, unit = _signed(line)
    if quantity is not None:
        out["Quantity"] = _number(quantity)
    if unit is not None:
        out["UnitAmount"] = _number(unit)
    _put(out, "ItemCode", line.get("item_code"))
    _put(out, "AccountCode", line.get("account_code"))
    _put(out, "TaxType", line.get("tax_type"))
    discount = _decimal(line.get("discount_rate"))
    if discount:  # 0 is no discount: left out (Xero refuses a 0 DiscountAmount on a negative
        # price, Xero-OpenAPI#429; a 0 DiscountRate passes there, but nothing is lost by omitting it)
        out["DiscountRate"] = _number(discount)
    tracking = [{"Name": t["name"], "Option": t["option"]}
                for t in line.get("tracking") or [] if t.get("name") and t.get("option")]
    _put(out, "Tracking", tracking)
    return out


def _header(values, amounts_spelling):
    """What invoices and quotes share, in Xero's order."""
    out = {"Contact": {"ContactID": values["contact_id"]}}
    _put(out, "Date", _date(values.get("date")))
    return out, {
        "CurrencyCode": values.get("currency"),
        "CurrencyRate": values.get("currency_rate") or None,  # 0 is no rate: Xero takes XE.com's
        # Always sent: a POST without it re-prices a quote as exclusive (xero-mcp-server#309).
        "LineAmountTypes": amounts_spelling[_amounts(values)],
        "Status": values.get("status"),
        "BrandingThemeID": values.get("branding_theme_id"),
    }


# -- values → Xero ------------------------------------------------------------------------------

def to_invoice(values):
    """The sales Invoice (Type ACCREC) for PUT/POST /Invoices, empty fields left out."""
    invoice = {"Type": "ACCREC"}
    header, shared = _header(values, INVOICE_AMOUNTS)
    invoice.update(header)
    _put(invoice, "DueDate", _date(values.get("due_date")))
    _put(invoice, "Reference", values.get("reference"))            # ACCREC only (A:22362)
    _put(invoice, "InvoiceNumber", values.get("number"))           # else Xero numbers it
    for key, value in shared.items():
        _put(invoice, key, value)
    _put(invoice, "Url", values.get("url"))                        # "Go to [appName]" (A:22369)
    invoice["LineItems"] = [_line(line) for line in values.get("lines") or []]
    return invoice


def to_quote(values):
    """The Quote for PUT/POST /Quotes, empty fields left out. A Quote has no Url (A:24249)."""
    quote = {}
    header, shared = _header(values, QUOTE_AMOUNTS)
    quote.update(header)
    _put(quote, "ExpiryDate", _date(values.get("expiry_date")))
    _put(quote, "Reference", values.get("reference"))
    _put(quote, "QuoteNumber", values.get("number"))
    _put(quote, "Title", values.get("title"))
    _put(quote, "Summary", values.get("summary"))
    _put(quote, "Terms", values.get("terms"))
    for key, value in shared.items():
        _put(quote, key, value)
    quote["LineItems"] = [_line(line) for line in values.get("lines") or []]
    return quote


# -- checks -------------------------------------------------------------------------------------

def _date_problem(value):
    text = _date(value)
    if not isinstance(text, str) or not _DATE.match(text):
        return "invalid_date"
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return "invalid_date"
    return None


def problems(values, kind="invoice"):
    """What Xero would refuse in an invoice (``kind="invoice"``) or a quote (``"quote"``), as
    (field, code, params), before any call is spent. Line fields are named ``lines.<i>.<key>``."""
    found = []
    if not (values.get("contact_id") or "").strip():
        found.append(("contact_id", "required", {}))
    for field, limit in MAX[kind].items():
        value = values.get(field) or ""
        if len(value) > limit:
            found.append((field, "too_long", {"max": limit, "length": len(value)}))
    dates = ("date", "due_date") if kind == "invoice" else ("date", "expiry_date")
    for field in dates:
        if not _empty(values.get(field)) and _date_problem(values[field]):
            found.append((field, "invalid_date", {"value": values[field]}))
    amounts = (values.get("amounts") or "exclusive").lower()
    if amounts not in INVOICE_AMOUNTS:
        found.append(("amounts", "invalid_choice", {"value": values.get("amounts"),
                                                    "choices": tuple(INVOICE_AMOUNTS)}))
    statuses = INVOICE_STATUSES if kind == "invoice" else QUOTE_STATUSES
    status = values.get("status")
    if status and status not in statuses:
        found.append(("status", "invalid_choice", {"value": status, "choices": statuses}))
    if kind == "invoice" and status == "AUTHORISED" and _empty(values.get("due_date")):
        # An approved invoice needs a due date (Xero staff, xeroizer#395; xero-python#78).
        found.append(("due_date", "required", {"status": status}))
    lines = values.get("lines") or []
    if not lines:
        found.append(("lines", "required", {}))  # a draft needs LineItems (Xero's invoice docs)
    for index, line in enumerate(lines):
        found.extend(_line_problems(index, line))
    return found


def _line_problems(index, line):
    found = []
    at = f"lines.{index}.%s"
    description = line.get("description") or ""
    if is_description_only(line) and not description.strip():
        # "Description needs to be at least 1 char long" for a description-only line (A:20678).
        found.append((at % "description", "required", {}))
    if len(description) > LINE_MAX["description"]:
        found.append((at % "description", "too_long",
                      {"max": LINE_MAX["description"], "length": len(description)}))
    if is_description_only(line) and line.get("item_code"):
        # Xero drops the ItemCode of a line without quantity and amount (xero-node#243).
        found.append((at % "quantity", "required", {"item_code": line["item_code"]}))
    tracking = line.get("tracking") or []
    if len(tracking) > MAX_TRACKING:
        found.append((at % "tracking", "too_many", {"max": MAX_TRACKING, "count": len(tracking)}))
    for t in tracking:
        name = t.get("name") or ""
        if len(name) > LINE_MAX["tracking_name"]:
            found.append((at % "tracking", "too_long",
                          {"max": LINE_MAX["tracking_name"], "length": len(name), "value": name}))
    discount = _decimal(line.get("discount_rate"))
    if discount is not None and not 0 <= discount <= 100:
        # LineAmount = Qty × Unit × (100 − DiscountRate) / 100 (A:20712): a percentage.
        found.append((at % "discount_rate", "out_of_range", {"min": 0, "max": 100, "value": float(discount)}))
    return found


# -- totals as Xero computes them ---------------------------------------------------------------

def _cents(value):
    # Half up, away from zero. Whether Xero rounds half to even (banker's) is UNVERIFIED.
    return value.quantize(_CENT, ROUND_HALF_UP)


def line_amount(line):
    """Qty × Unit × (100 − DiscountRate) / 100, 2 dp (A:20712), the unit amount at 4 dp as sent;
    0 for a description-only line."""
    if is_description_only(line):
        return Decimal("0.00")
    quantity, unit = _signed(line)
    discount = _decimal(line.get("discount_rate")) or Decimal(0)
    return _cents((quantity or Decimal(0)) * (unit or Decimal(0)) * (100 - discount) / 100)


def line_tax(amount, rate, amounts):
    """The tax of one line amount at ``rate`` percent, rounded to 2 dp as Xero does per line."""
    if amounts == "notax" or not rate:
        return Decimal("0.00")
    rate = Decimal(str(rate)) / 100
    if amounts == "inclusive":
        return _cents(amount - amount / (1 + rate))   # the tax inside a tax-inclusive amount
    return _cents(amount * rate)


def totals(lines, rates, amounts="exclusive"):
    """(subtotal, total_tax, total) as Decimals, as Xero computes them: each line amount and
    each line's tax rounded to 2 dp, then summed (Xero's rounding guide), so the total tax can
    differ by cents from the tax of the subtotal.

    ``lines`` are the values' lines, ``rates`` maps a TaxType to its rate in percent, ``amounts``
    is "exclusive", "inclusive" or "notax". A line without TaxType counts as untaxed (Xero would
    apply its account's default tax: pass that TaxType to be exact); a TaxType missing from
    ``rates`` raises KeyError. Inclusive amounts contain their tax: subtotal = total − tax.
    """
    amounts = _amounts({"amounts": amounts})
    gross = tax = Decimal("0.00")
    for line in lines:
        amount = line_amount(line)
        tax_type = line.get("tax_type")
        if amounts == "notax" or is_description_only(line) or not tax_type:
            rate = 0
        else:
            rate = rates[tax_type]
        gross += amount
        tax += line_tax(amount, rate, amounts)
    if amounts == "inclusive":
        return gross - tax, tax, gross
    return gross, tax, gross + tax
