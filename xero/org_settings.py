"""An organisation's settings as Xero answers them, and the rules Xero applies with them to a
sales document: which accounts and tax rates a line may use, which pairs it refuses, which
currencies it takes, and the lock date before which nothing can be entered.

Built from the plain answers of Organisation, Accounts, TaxRates, Currencies,
TrackingCategories and BrandingThemes, so the Odoo side can keep them and rebuild this at will.
"""
import datetime
import difflib
import re

from . import dates

# Account classes, and the flag of a tax rate that lets it be used on accounts of that class.
CAN_APPLY = {
    "ASSET": "CanApplyToAssets", "EQUITY": "CanApplyToEquity", "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities", "REVENUE": "CanApplyToRevenue",
}
# System accounts Xero keeps for its own entries: a document line cannot be coded to them.
# (Rounding can: it is where an adjustment line goes.)
SYSTEM_ONLY = {"DEBTORS", "CREDITORS", "GST", "GSTONIMPORTS", "RETAINEDEARNINGS", "BANKCURRENCYGAIN",
               "REALISEDCURRENCYGAIN", "UNREALISEDCURRENCYGAIN", "HISTORICAL", "TRACKINGTRANSFERS",
               "UNPAIDEXPCLM", "WAGEPAYABLES", "CISLIABILITY", "CISASSETS", "CISLABOUREXPENSE",
               "CISLABOURINCOME", "CISMATERIALS", "SUPERANNUATIONEXPENSE", "SUPERANNUATIONLIABILITY"}
# Payment terms (a contact's PaymentTerms.Sales): Day + Type.
TERM_TYPES = ("DAYSAFTERBILLDATE", "DAYSAFTERBILLMONTH", "OFCURRENTMONTH", "OFFOLLOWINGMONTH")
# Words in a tax's name that say what it is for; a proposal prefers a Xero rate sharing them.
_HINTS = {
    "export": ("export", "overseas", "foreign", "international", "outside"),
    "ec": ("ec", "eu", "europe", "european", "intra", "reverse", "community"),
    "service": ("service", "services"),
    "exempt": ("exempt", "free", "exemption"),
    "zero": ("zero", "0%"),
    "none": ("no", "none", "excluded", "out"),
}
_WORD = re.compile(r"[a-z0-9%]+")


def rate_of(tax_rate):
    """A tax rate's percentage (compound components are not used on sales; the sum is)."""
    value = tax_rate.get("EffectiveRate")
    if value is None:
        value = tax_rate.get("DisplayTaxRate")
    if value is None:
        value = sum(float(c.get("Rate") or 0) for c in tax_rate.get("TaxComponents") or [])
    return round(float(value or 0), 4)


def _hints(name):
    words = set(_WORD.findall((name or "").lower()))
    # A plural says the same ("GST Free Exports" is an export rate): its singular counts too.
    words |= {w[:-1] for w in words if len(w) > 3 and w.endswith("s")}
    return {hint for hint, keys in _HINTS.items() if words & set(keys)}


def _similarity(a, b):
    return difflib.SequenceMatcher(None, (a or "").lower(), (b or "").lower()).ratio()


class OrgSettings:
    def __init__(self, organisation=None, accounts=(), tax_rates=(), currencies=(), tracking_categories=(),
                 branding_themes=()):
        self.organisation = organisation or {}
        self.accounts = {a["Code"].upper(): a for a in accounts if a.get("Code")}
        self.tax_rates = {t["TaxType"].upper(): t for t in tax_rates if t.get("TaxType")}
        self.currencies = {c["Code"].upper() for c in currencies if c.get("Code")}
        self.tracking_categories = [t for t in tracking_categories if t.get("Status", "ACTIVE") == "ACTIVE"]
        self.branding_themes = sorted(branding_themes, key=lambda t: t.get("SortOrder") or 0)

    # -- the organisation --------------------------------------------------------------------
    @property
    def base_currency(self):
        return (self.organisation.get("BaseCurrency") or "").upper() or None

    @property
    def version(self):
        return self.organisation.get("Version")

    def _date(self, key):
        value = self.organisation.get(key)
        if not value:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = dates.to_datetime(value)
        if parsed:
            return parsed.date()
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None

    @property
    def lock_date(self):
        """The last locked day: no document can be dated on or before it (None: nothing locked).
        The period lock applies to everyone but advisers; the end-of-year lock to all. A sales
        document from us must pass both."""
        found = [d for d in (self._date("PeriodLockDate"), self._date("EndOfYearLockDate")) if d]
        return max(found) if found else None

    def currency_enabled(self, code):
        code = (code or "").upper()
        return code == self.base_currency or code in self.currencies

    def tracking_category(self, name):
        """The active tracking category of this name (any case), or None."""
        name = (name or "").casefold()
        return next((t for t in self.tracking_categories if (t.get("Name") or "").casefold() == name), None)

    def tracking_option(self, category, option):
        """Xero's spelling of an active ``option`` of ``category``, or None."""
        found = self.tracking_category(category)
        option = (option or "").casefold()
        return next((o["Name"] for o in (found or {}).get("Options") or []
                     if o.get("Status", "ACTIVE") == "ACTIVE" and (o.get("Name") or "").casefold() == option), None)

    # -- accounts ---------------------------------------------------------------------------
    def account(self, code):
        return self.accounts.get((code or "").upper())

    def account_problem(self, code):
        """Why a sales line cannot be coded to this account: ``unknown``, ``archived``,
        ``not_for_sales`` (a bank or one of Xero's system accounts), or None."""
        account = self.account(code)
        if account is None:
            return "unknown"
        if account.get("Status", "ACTIVE") != "ACTIVE":
            return "archived"
        if account.get("Type") == "BANK" or account.get("SystemAccount") in SYSTEM_ONLY:
            return "not_for_sales"
        return None

    def sales_accounts(self):
        """Accounts to offer for sales: active revenue accounts, by code."""
        return [a for code, a in sorted(self.accounts.items())
                if a.get("Class") == "REVENUE" and not self.account_problem(code)]

    @property
    def rounding_account(self):
        """The code of the organisation's rounding account (never assume 860)."""
        return next((a["Code"] for a in self.accounts.values() if a.get("SystemAccount") == "ROUNDING"), None)

    # -- tax rates --------------------------------------------------------------------------
    def tax_rate(self, tax_type):
        return self.tax_rates.get((tax_type or "").upper())

    def tax_problem(self, tax_type, usage="sale"):
        """Why a line cannot use this tax type: ``unknown``, ``archived``, ``not_for_sales``
        (or ``not_for_purchases``), or None."""
        rate = self.tax_rate(tax_type)
        if rate is None:
            return "unknown"
        if rate.get("Status", "ACTIVE") != "ACTIVE":
            return "archived"
        flag = "CanApplyToRevenue" if usage == "sale" else "CanApplyToExpenses"
        if rate.get(flag) is False:
            return "not_for_sales" if usage == "sale" else "not_for_purchases"
        return None

    def sales_tax_rates(self, usage="sale"):
        return [t for key, t in sorted(self.tax_rates.items()) if not self.tax_problem(key, usage)]

    def no_tax_type(self):
        """The rate for a sales line Odoo charges no tax on: Xero's "no tax" rate of the edition
        (NONE; AU: GST Free Income), else any active 0% rate usable on sales; None if none."""
        usable = {t["TaxType"].upper(): t["TaxType"] for t in self.sales_tax_rates() if rate_of(t) == 0}
        preferred = next((key for key in ("NONE", "EXEMPTOUTPUT", "BASEXCLUDED") if key in usable), None)
        return usable[preferred] if preferred else next(iter(usable.values()), None)

    def pair_refused(self, tax_type, code):
        """True when Xero refuses this tax type on this account ("The TaxType code 'X' cannot be
        used with account code 'Y'"): the rate does not apply to the account's class."""
        rate, account = self.tax_rate(tax_type), self.account(code)
        if rate is None or account is None:
            return False
        flag = CAN_APPLY.get(account.get("Class"))
        return bool(flag) and rate.get(flag) is False

    def propose_tax_type(self, rate, name="", usage="sale"):
        """The Xero tax type an Odoo tax of ``rate`` percent named ``name`` most likely is: among
        the active rates of that percentage usable for ``usage``, the one whose name shares the
        tax's hints (export, EU, exempt...) and reads most alike; None when no rate matches."""
        candidates = [t for t in self.sales_tax_rates(usage) if rate_of(t) == round(float(rate or 0), 4)]
        if not candidates:
            return None
        hints = _hints(name)

        def score(tax_rate):
            shared = len(hints & _hints(tax_rate.get("Name")))
            missing = len(_hints(tax_rate.get("Name")) - hints)
            return (shared, -missing, _similarity(name, tax_rate.get("Name")))

        return max(candidates, key=score)["TaxType"]

    def propose_account(self, code, name=""):
        """The Xero sales account an Odoo income account most likely is: the same code when it is
        usable, else the revenue account whose name reads most alike (None when none is close)."""
        if code and not self.account_problem(code) and self.account(code).get("Class") == "REVENUE":
            return self.account(code)["Code"]
        words = set(_WORD.findall((name or "").lower()))
        best, best_score = None, 0.6
        for account in self.sales_accounts():
            theirs = set(_WORD.findall((account.get("Name") or "").lower()))
            # "Product Sales" is Xero's "Sales": every word of Xero's name is in Odoo's.
            score = max(_similarity(name, account.get("Name")), 0.61 if theirs and theirs <= words else 0)
            if score > best_score:
                best, best_score = account["Code"], score
        return best


def due_date(invoice_date, days, kind):
    """The due date Xero gives an invoice of ``invoice_date`` on terms ``days`` + ``kind`` (a
    contact's PaymentTerms.Sales); a day past the month's end is its last day."""
    def day_of(year, month, day):
        if month > 12:
            year, month = year + 1, month - 12
        last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return datetime.date(year, month, min(max(day, 1), last))

    days = int(days or 0)
    if kind == "DAYSAFTERBILLDATE":
        return invoice_date + datetime.timedelta(days=days)
    if kind == "DAYSAFTERBILLMONTH":
        return day_of(invoice_date.year, invoice_date.month, 31) + datetime.timedelta(days=days)
    if kind == "OFCURRENTMONTH":
        return day_of(invoice_date.year, invoice_date.month, days)
    if kind == "OFFOLLOWINGMONTH":
        return day_of(invoice_date.year, invoice_date.month + 1, days)
    raise ValueError("Unknown payment terms type %r" % kind)
