"""An organisation's settings besides its chart: currencies, tracking categories and branding
themes; how the fake stores them, and what a new organisation starts with.

Seeds, the same shape in every edition so tests can rely on them:

- Currencies: the base currency and two others the organisation has enabled, the pairs a
  business of that edition most often trades in (AU: AUD, NZD, USD; NZ: NZD, AUD, USD; UK:
  GBP, EUR, USD; US: USD, CAD, EUR; GLOBAL: its own, GBP, USD); each ``{Code, Description}``;
- TrackingCategories "Department" (Sales, Services) and "Region" (North, South, and Central
  ARCHIVED): Xero allows two active categories, and an archived option is what a reader that
  forgets ``includeArchived`` gets wrong;
- BrandingThemes "Standard" (SortOrder 0, Xero's default) and "Special Projects" (1);
- a fixed exchange rate per pair of currencies (``currency_rate``), where Xero takes the day's.

Codes are members of Xero's CurrencyCode enum, or xero-python cannot parse the answers. Tests
may change the stores as any ``RecordStore`` (replace a record, never mutate one):
``tracking_categories.set_status("Region", "ARCHIVED", option="North")`` archives an option.
"""
import uuid

from .recordstore import RecordStore, fold, text_key
from .shapes import ms_date

_DESCRIPTIONS = {
    "AUD": "Australian Dollar", "CAD": "Canadian Dollar", "EUR": "Euro", "GBP": "British Pound",
    "NZD": "New Zealand Dollar", "USD": "United States Dollar",
}
# Edition -> the two currencies enabled beside the base currency.
_OTHER_CURRENCIES = {
    "AU": ("NZD", "USD"), "NZ": ("AUD", "USD"), "UK": ("EUR", "USD"), "US": ("CAD", "EUR"),
    "GLOBAL": ("GBP", "USD"),
}
# (category, [(option, status)]), listed by name as Xero does.
_TRACKING = (
    ("Department", [("Sales", "ACTIVE"), ("Services", "ACTIVE")]),
    ("Region", [("Central", "ARCHIVED"), ("North", "ACTIVE"), ("South", "ACTIVE")]),
)
_THEMES = (("Standard", 0), ("Special Projects", 1))
# Units of each currency per US dollar: the fixed rates behind ``currency_rate``.
_PER_USD = {"USD": 1.0, "NZD": 1.65, "AUD": 1.52, "GBP": 0.79, "EUR": 0.92, "CAD": 1.36}


def seed_currencies(version, base_currency):
    """The currencies a new organisation of edition ``version`` starts with, by Code."""
    others = _OTHER_CURRENCIES.get(version, _OTHER_CURRENCIES["GLOBAL"])
    codes = [base_currency] + [c for c in others if c != base_currency]
    return {code: {"Code": code, "Description": _DESCRIPTIONS.get(code, code)} for code in codes}


def currency_rate(base, code):
    """The CurrencyRate of a document in ``code`` when the client sends none (Xero takes
    XE.com's rate of the day; the fake a fixed one per pair, so tests can predict it): units of
    ``code`` per unit of the ``base`` currency, 6 decimals; 1.0 for the base currency."""
    if code == base:
        return 1.0
    return round(_PER_USD.get(code, 1.0) / _PER_USD.get(base, 1.0), 6)


def seed_tracking_categories():
    """The tracking categories of a new organisation, by TrackingCategoryID."""
    categories = {}
    for name, options in _TRACKING:
        category = {
            "TrackingCategoryID": str(uuid.uuid4()),
            "Name": name,
            "Status": "ACTIVE",
            "Options": [{"TrackingOptionID": str(uuid.uuid4()), "Name": option, "Status": status}
                        for option, status in options],
        }
        categories[category["TrackingCategoryID"]] = category
    return categories


def seed_branding_themes(created):
    """The branding themes of a new organisation, by BrandingThemeID."""
    themes = {}
    for name, sort_order in _THEMES:
        theme = {"BrandingThemeID": str(uuid.uuid4()), "Name": name, "Type": "INVOICE",
                 "SortOrder": sort_order, "CreatedDateUTC": ms_date(created)}
        themes[theme["BrandingThemeID"]] = theme
    return themes


class CurrencyStore(RecordStore):
    """Currencies by Code (their only identifier), listed by Code."""

    ID_FIELD = "Code"
    NOUN = "currencies"

    @staticmethod
    def order_key(record):
        return fold(record.get("Code"))


class TrackingCategoryStore(RecordStore):
    """Tracking categories by TrackingCategoryID, their options inside; listed by Name."""

    ID_FIELD = "TrackingCategoryID"
    INDEXES = ("name",)
    NOUN = "tracking categories"

    @staticmethod
    def index_keys(record):
        return (text_key(record.get("Name")),)

    @staticmethod
    def order_key(record):
        return fold(record.get("Name"))

    def category(self, name):
        """The category of this Name (any case), or None."""
        return self.get(self.first(self.having("name", text_key(name))))

    def set_status(self, name, status, option=None):
        """Give the category ``name`` (or its ``option``) ``status`` (ACTIVE, ARCHIVED,
        DELETED), as a change made in Xero; returns the stored category."""
        category = self.category(name)
        if category is None:
            raise KeyError(name)
        if option is None:
            changed = dict(category, Status=status)
        else:
            if not any(fold(o["Name"]) == fold(option) for o in category["Options"]):
                raise KeyError(option)
            changed = dict(category, Options=[dict(o, Status=status) if fold(o["Name"]) == fold(option)
                                              else o for o in category["Options"]])
        self[category["TrackingCategoryID"]] = changed
        return changed


class BrandingThemeStore(RecordStore):
    """Branding themes by BrandingThemeID, listed by SortOrder (0: the default theme)."""

    ID_FIELD = "BrandingThemeID"
    NOUN = "branding themes"

    @staticmethod
    def order_key(record):
        return (record.get("SortOrder") or 0, fold(record.get("Name")))
