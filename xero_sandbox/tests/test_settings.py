"""An organisation's settings in the fake Xero, per edition: Currencies, TrackingCategories,
BrandingThemes and the Organisation answer (tax basis and period, lock dates). Read through
xero-python (every value must be one its models accept: CurrencyCode, the Organisation enums,
ms-dates) and filtered as Xero does. Every request here must match Xero's OpenAPI description,
every answer its schema (the ``on_spec`` fixture). ``orgs`` and ``reader``: conftest.py.
"""
import datetime

import pytest
from sandbox_client import Sdk, api, token_for
from xero_python.exceptions import ApiException

from xero_sandbox import settings

pytestmark = pytest.mark.usefixtures("on_spec")

FOUR = ("AUD", "GBP", "NZD", "USD")
MISSING = "00000000-0000-0000-0000-000000000000"

# Base currency -> the currencies a new organisation has enabled, listed by Code.
CURRENCIES = {
    "AUD": [("AUD", "Australian Dollar"), ("NZD", "New Zealand Dollar"), ("USD", "United States Dollar")],
    "GBP": [("EUR", "Euro"), ("GBP", "British Pound"), ("USD", "United States Dollar")],
    "NZD": [("AUD", "Australian Dollar"), ("NZD", "New Zealand Dollar"), ("USD", "United States Dollar")],
    "USD": [("CAD", "Canadian Dollar"), ("EUR", "Euro"), ("USD", "United States Dollar")],
    "EUR": [("EUR", "Euro"), ("GBP", "British Pound"), ("USD", "United States Dollar")],
}
# Base currency -> (SalesTaxBasis, SalesTaxPeriod, DefaultSalesTax, DefaultPurchasesTax, FY end day, month).
ORGANISATIONS = {
    "AUD": ("ACCRUALS", "QUARTERLY1", "Tax Exclusive", "Tax Inclusive", 30, 6),
    "GBP": ("ACCRUAL", "QUARTERLY", "Tax Exclusive", "Tax Inclusive", 31, 3),
    "NZD": ("PAYMENTS", "TWOMONTHS", "Tax Exclusive", "Tax Exclusive", 31, 3),
    "USD": ("ACCRUAL", "NONE", "Tax Exclusive", "Tax Exclusive", 31, 12),
}


def options(category):
    return [(o.name, o.status) for o in category.options]


# -- currencies ------------------------------------------------------------------------------

@pytest.mark.parametrize("currency", sorted(CURRENCIES))
def test_each_edition_has_its_currencies(fx, orgs, reader, currency):
    got = reader.get_currencies(orgs[currency]).currencies
    assert [(c.code.value, c.description) for c in got] == CURRENCIES[currency]
    assert currency in [c.code.value for c in got]


def test_currencies_where_and_order(fx, orgs, reader):
    tenant = orgs["AUD"]
    codes = lambda **kw: [c.code.value for c in reader.get_currencies(tenant, **kw).currencies]
    assert codes(where='Code=="USD"') == ["USD"]
    assert codes(where='Code!="AUD"', order="Code DESC") == ["USD", "NZD"]
    assert codes(order="Description ASC") == ["AUD", "NZD", "USD"]
    assert codes(where='Code=="GBP"') == []
    store = fx.tenant(tenant).currencies            # a currency enabled in Xero
    store["GBP"] = {"Code": "GBP", "Description": "British Pound"}
    assert codes() == ["AUD", "GBP", "NZD", "USD"]
    assert fx.tenant(orgs["NZD"]).currencies.get("GBP") is None


# -- tracking categories ---------------------------------------------------------------------

@pytest.mark.parametrize("currency", FOUR)
def test_each_edition_has_two_tracking_categories_archived_options_hidden(orgs, reader, currency):
    tenant = orgs[currency]
    got = reader.get_tracking_categories(tenant).tracking_categories
    assert [(c.name, c.status) for c in got] == [("Department", "ACTIVE"), ("Region", "ACTIVE")]
    assert [options(c) for c in got] == [[("Sales", "ACTIVE"), ("Services", "ACTIVE")],
                                         [("North", "ACTIVE"), ("South", "ACTIVE")]]
    region = reader.get_tracking_categories(tenant, include_archived=True).tracking_categories[1]
    assert options(region) == [("Central", "ARCHIVED"), ("North", "ACTIVE"), ("South", "ACTIVE")]
    assert all(o.tracking_option_id for c in got for o in c.options)


def test_tracking_categories_include_archived_where_order_and_by_id(fx, sdk):
    acc, tid = sdk.accounting, fx.tid
    store = fx.tenant(tid).tracking_categories
    names = lambda **kw: [c.name for c in acc.get_tracking_categories(tid, **kw).tracking_categories]
    assert names(where='Name=="Region"') == ["Region"]
    assert names(order="Name DESC") == ["Region", "Department"]
    assert names(where='Status=="ARCHIVED"', include_archived=True) == []

    store.set_status("Department", "ARCHIVED")                   # archived in Xero
    store.set_status("Region", "ARCHIVED", option="north")
    assert names() == ["Region"]
    assert names(include_archived=False) == ["Region"]
    assert names(include_archived=True) == ["Department", "Region"]
    assert names(where='Status=="ARCHIVED"', include_archived=True) == ["Department"]
    region = acc.get_tracking_categories(tid).tracking_categories[0]
    assert options(region) == [("South", "ACTIVE")]

    store.set_status("Region", "DELETED", option="Central")     # deleted: never listed
    region = acc.get_tracking_categories(tid, include_archived=True).tracking_categories[1]
    assert options(region) == [("North", "ARCHIVED"), ("South", "ACTIVE")]

    by_id = acc.get_tracking_category(tid, region.tracking_category_id).tracking_categories
    assert [(c.name, options(c)) for c in by_id] == [
        ("Region", [("Central", "DELETED"), ("North", "ARCHIVED"), ("South", "ACTIVE")])]
    department = store.category("department")
    by_id = acc.get_tracking_category(tid, department["TrackingCategoryID"].upper())
    assert by_id.tracking_categories[0].status == "ARCHIVED"
    with pytest.raises(ApiException) as err:
        acc.get_tracking_category(tid, MISSING)
    assert err.value.status == 404
    with pytest.raises(KeyError):
        store.set_status("Region", "ARCHIVED", option="East")


def test_tracking_options_carry_the_flags_xero_derives_from_their_status(fx, sdk):
    """The flags are not in the spec (xero-python ignores them), so they are read as JSON."""
    fx.tenant(fx.tid).tracking_categories.set_status("Region", "ARCHIVED", option="South")
    token = sdk.store["token"]["access_token"]
    r = api(fx, "GET", "/TrackingCategories", token, fx.tid,
            params={"includeArchived": "true", "where": 'Name=="Region"'})
    assert r.status_code == 200
    [region] = r.json()["TrackingCategories"]
    flags = {o["Name"]: (o["Status"], o["IsActive"], o["IsArchived"], o["IsDeleted"], o["HasValidationErrors"])
             for o in region["Options"]}
    assert flags == {"Central": ("ARCHIVED", False, True, False, False), "North": ("ACTIVE", True, False, False, False),
                     "South": ("ARCHIVED", False, True, False, False)}
    stored = fx.tenant(fx.tid).tracking_categories.category("Region")["Options"]
    assert "IsActive" not in stored[0], "the store keeps the Status alone"


def test_each_organisation_has_its_own_tracking_categories(fx, orgs):
    nz, au = fx.tenant(orgs["NZD"]).tracking_categories, fx.tenant(orgs["AUD"]).tracking_categories
    assert nz.category("Region")["TrackingCategoryID"] != au.category("Region")["TrackingCategoryID"]
    nz.set_status("Region", "ARCHIVED")
    assert au.category("Region")["Status"] == "ACTIVE" and au.category("Nowhere") is None
    seeded = settings.seed_tracking_categories()
    assert sorted(c["Name"] for c in seeded.values()) == ["Department", "Region"]


# -- branding themes -------------------------------------------------------------------------

@pytest.mark.parametrize("currency", FOUR)
def test_each_edition_has_two_branding_themes_the_default_first(fx, orgs, reader, currency):
    tenant = orgs[currency]
    got = reader.get_branding_themes(tenant).branding_themes
    assert [(t.name, t.sort_order, t.type) for t in got] \
        == [("Standard", 0, "INVOICE"), ("Special Projects", 1, "INVOICE")]
    created = got[0].created_date_utc
    assert created.tzinfo is not None and abs(created.timestamp() - fx.clock.now()) < 600
    one = reader.get_branding_theme(tenant, got[1].branding_theme_id).branding_themes
    assert [(t.branding_theme_id, t.name) for t in one] == [(got[1].branding_theme_id, "Special Projects")]


def test_branding_themes_follow_their_sort_order_and_404(fx, sdk):
    store = fx.tenant(fx.tid).branding_themes
    special = next(t for t in store.values() if t["Name"] == "Special Projects")
    store[special["BrandingThemeID"]] = dict(special, SortOrder=-1)     # reordered in Xero
    names = [t.name for t in sdk.accounting.get_branding_themes(fx.tid).branding_themes]
    assert names == ["Special Projects", "Standard"]
    with pytest.raises(ApiException) as err:
        sdk.accounting.get_branding_theme(fx.tid, MISSING)
    assert err.value.status == 404


# -- scopes ----------------------------------------------------------------------------------

def test_settings_need_a_settings_scope_read_only_is_enough(fx):
    fx.add_app("contacts-only", "secret", tenants=[fx.tid], custom=True, scopes="accounting.contacts")
    fx.add_app("reader", "secret", tenants=[fx.tid], custom=True, scopes="accounting.settings.read")
    token = token_for(fx, "contacts-only", "secret")
    paths = ["/Currencies", "/TrackingCategories", "/BrandingThemes"]
    assert [api(fx, "GET", p, token, fx.tid).status_code for p in paths] == [403, 403, 403]
    reader = Sdk(fx, "reader", "secret")
    reader.client_credentials()
    acc = reader.accounting
    assert len(acc.get_currencies(fx.tid).currencies) == 3
    assert len(acc.get_tracking_categories(fx.tid).tracking_categories) == 2
    assert len(acc.get_branding_themes(fx.tid).branding_themes) == 2


# -- the organisation ------------------------------------------------------------------------

@pytest.mark.parametrize("currency", FOUR)
def test_each_edition_answers_its_tax_settings_and_no_lock_dates(fx, orgs, reader, currency):
    org = reader.get_organisations(orgs[currency]).organisations[0]
    assert (org.sales_tax_basis, org.sales_tax_period, org.default_sales_tax, org.default_purchases_tax,
            org.financial_year_end_day, org.financial_year_end_month) == ORGANISATIONS[currency]
    assert org.base_currency.value == currency
    assert org.period_lock_date is None and org.end_of_year_lock_date is None
    stored = fx.tenant(orgs[currency]).organisation
    assert "PeriodLockDate" not in stored and "EndOfYearLockDate" not in stored


def test_lock_dates_round_trip_through_the_sdk_as_dates(fx, sdk):
    acc = sdk.accounting
    answer = fx.set_lock_dates(fx.tid, period=datetime.date(2024, 3, 31), end_of_year=datetime.date(2023, 3, 31))
    assert answer["PeriodLockDate"] == "/Date(1711843200000+0000)/"
    org = acc.get_organisations(fx.tid).organisations[0]
    assert (org.period_lock_date, org.end_of_year_lock_date) == (datetime.date(2024, 3, 31), datetime.date(2023, 3, 31))

    fx.set_lock_dates(fx.tid, period=datetime.datetime(2024, 6, 30, 23, 59))   # its day; the other cleared
    org = acc.get_organisations(fx.tid).organisations[0]
    assert (org.period_lock_date, org.end_of_year_lock_date) == (datetime.date(2024, 6, 30), None)
    assert "EndOfYearLockDate" not in fx.tenant(fx.tid).organisation

    with pytest.raises(ValueError):
        fx.set_lock_dates(fx.tid, period=datetime.date(2024, 3, 31), end_of_year=datetime.date(2024, 4, 30))
    assert acc.get_organisations(fx.tid).organisations[0].period_lock_date == datetime.date(2024, 6, 30)

    fx.set_lock_dates(fx.tid)                                                  # unlocked
    org = acc.get_organisations(fx.tid).organisations[0]
    assert (org.period_lock_date, org.end_of_year_lock_date) == (None, None)


def test_a_lock_date_set_by_hand_is_answered_as_is(fx, sdk):
    fx.tenant(fx.tid).organisation["EndOfYearLockDate"] = "/Date(1546214400000+0000)/"   # the spec's example
    org = sdk.accounting.get_organisations(fx.tid).organisations[0]
    assert org.end_of_year_lock_date == datetime.date(2018, 12, 31) and org.period_lock_date is None
