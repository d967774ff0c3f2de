"""Xero's arithmetic on sales documents (invoices, quotes, credit notes): one place for how it
rounds, after its rounding guide (https://developer.xero.com/documentation/api-guides/rounding-in-xero):

- a unit amount is kept at 2 decimals, or 4 with ``unitdp=4`` (quotes always keep 4);
- LineAmount = Quantity × UnitAmount × (100 − DiscountRate) / 100, or Quantity × UnitAmount −
  DiscountAmount, rounded to 2 decimals (the spec's LineItem.LineAmount);
- the tax of each line is rounded to 2 decimals, then the lines' taxes are summed: the total tax
  can differ by a cent from the tax of the subtotal (the guide's example: 25.06, 25.61 and 25.63
  at 15% give 11.44, not 11.45). A tax-inclusive line holds its tax: amount × rate / (1 + rate);
- halves round away from zero. Whether Xero rounds half to even is not documented.

Values are Decimals inside, floats in Xero's JSON (``number``): the fake answers what Xero's
JSON carries, a float with at most the decimals the field keeps.
"""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def dec(value):
    """A JSON number (or None) as a Decimal, exactly as written (0.1 is 0.1, not 0.1000000000000000055)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(str(value))


def rounded(value, places=2):
    """``value`` at ``places`` decimals, halves away from zero."""
    return dec(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def number(value):
    """A Decimal as Xero's JSON carries it: a float (None stays None)."""
    return None if value is None else float(value)


def line_amount(quantity, unit, discount_rate=None, discount_amount=None):
    """The spec's LineAmount, at 2 decimals."""
    gross = dec(quantity) * dec(unit)
    if discount_rate:
        gross = gross * (100 - dec(discount_rate)) / 100
    elif discount_amount:
        gross = gross - dec(discount_amount)
    return rounded(gross)


def line_tax(amount, rate, amounts):
    """The tax of one line of ``amount`` at ``rate`` percent, rounded to 2 decimals;
    ``amounts`` is the document's line amount type, folded: exclusive, inclusive or notax."""
    if amounts == "notax" or not rate:
        return ZERO
    rate = dec(rate) / 100
    if amounts == "inclusive":
        return rounded(dec(amount) * rate / (1 + rate))
    return rounded(dec(amount) * rate)


def totals(lines, amounts):
    """(SubTotal, TotalTax, Total) of priced lines (each with LineAmount and TaxAmount): the sums
    of the rounded line values. Tax-inclusive line amounts hold their tax: Total is their sum."""
    gross = sum((dec(line.get("LineAmount") or 0) for line in lines), ZERO)
    tax = sum((dec(line.get("TaxAmount") or 0) for line in lines), ZERO)
    if amounts == "inclusive":
        return gross - tax, tax, gross
    return gross, tax, gross + tax
