"""OrgSettings: the rules Xero applies with an organisation's settings, built as Odoo builds them
(answers read through the real client from the fake Xero's AU, NZ, UK and US organisations);
and the module's rate_of and due_date."""
import datetime

import pytest

from xero.client import XeroClient
from xero.clock import Clock
from xero.endpoints import Endpoints
from xero.org_settings import OrgSettings, due_date, rate_of
from xero.tokens import ClientCredentialsSource, TokenClient
from xero_sandbox import FakeXero

EDITIONS = {"AU": "AUD", "NZ": "NZD", "UK": "GBP", "US": "USD"}
COLLECTIONS = ("Accounts", "TaxRates", "Currencies", "TrackingCategories", "BrandingThemes")
D = datetime.date


def start_fake():
    fx = FakeXero(clock=Clock(50.0))
    fx.start()
    fx.orgs = {edition: fx.add_tenant("Org " + edition, base_currency=currency)
               for edition, currency in EDITIONS.items()}
    fx.add_app("cid", "secret", tenants=list(fx.orgs.values()), custom=True)
    return fx


def client_of(fx, edition):
    endpoints = Endpoints(fx.url, fx.url, fx.url)
    source = ClientCredentialsSource(TokenClient(endpoints, "cid", "secret", clock=fx.clock))
    return XeroClient(endpoints, fx.orgs[edition], source, clock=fx.clock)


def read_settings(fx, edition):
    """OrgSettings of ``edition``'s organisation, read as models/xero_org_settings.py reads it."""
    client = client_of(fx, edition)
    return OrgSettings(client.organisation(), *(list(client.iter_records(name)) for name in COLLECTIONS))


@pytest.fixture(scope="module")
def seeded():
    """The four organisations as seeded, read once: edition -> OrgSettings (tests only read)."""
    fx = start_fake()
    try:
        yield {edition: read_settings(fx, edition) for edition in EDITIONS}
    finally:
        fx.stop()


@pytest.fixture
def fake():
    """A fake whose data a test may change."""
    fx = start_fake()
    yield fx
    fx.stop()


def tenant(fx, edition):
    return fx.tenant(fx.orgs[edition])


# -- 1. tax type proposals ------------------------------------------------------------------
@pytest.mark.parametrize("edition, rate, name, expected", [
    ("AU", 10, "GST 10%", "OUTPUT"),
    ("AU", 0, "GST Free Exports", "EXEMPTEXPORT"),
    ("AU", 0, "GST Free", "EXEMPTOUTPUT"),
    ("AU", 0, "BAS Excluded", "BASEXCLUDED"),
    ("AU", 0, "Exempt", "EXEMPTOUTPUT"),            # not the export rate, which also says "free"
    ("AU", 0, "Overseas sales", "EXEMPTEXPORT"),    # "overseas" ~ Xero's "Exports"
    ("NZ", 15, "15% GST", "OUTPUT2"),
    ("NZ", 0, "Export 0%", "ZERORATED"),            # NZ exports are zero rated
    ("NZ", 0, "No GST", "NONE"),
    ("UK", 20, "20% VAT", "OUTPUT2"),
    ("UK", 5, "5% reduced", "RROUTPUT"),
    ("UK", 0, "0% EU goods (intra-community)", "ECZROUTPUT"),
    ("UK", 0, "0% EU services reverse charge", "ECZROUTPUTSERVICES"),
    ("UK", 0, "Zero rated", "ZERORATEDOUTPUT"),
    ("UK", 0, "Exempt", "EXEMPTOUTPUT"),
    ("US", 8.875, "NYC sales tax", "OUTPUT"),
    ("US", 7.25, "California", "TAX001"),
    ("US", 0, "Tax exempt out-of-state", "NONE"),
])
def test_propose_tax_type_for_a_sales_tax(seeded, edition, rate, name, expected):
    assert seeded[edition].propose_tax_type(rate, name) == expected


def test_propose_tax_type_none_for_a_rate_xero_has_not(seeded):
    assert seeded["NZ"].propose_tax_type(12.5, "12.5% GST") is None
    assert seeded["AU"].propose_tax_type(10, "GST on Expenses") == "OUTPUT"   # INPUT is not for sales


def test_propose_tax_type_for_purchases(seeded):
    assert seeded["NZ"].propose_tax_type(15, "15% GST on purchases", usage="purchase") == "INPUT2"
    assert seeded["NZ"].propose_tax_type(15, "15% GST on purchases") == "OUTPUT2"


# -- 2. account proposals -------------------------------------------------------------------
def test_propose_account(seeded):
    nz = seeded["NZ"]
    assert nz.propose_account("200", "Anything") == "200"
    assert nz.propose_account("4000") == "4000"                      # SALES is a revenue type
    assert nz.propose_account("4999", "Other Revenue") == "260"      # unknown code: by name
    assert nz.propose_account("4999", "other revenue") == "260"
    assert nz.propose_account("4999", "Consulting Fees") is None     # nothing close


@pytest.mark.parametrize("code, name", [
    ("250", "Sales - Discontinued Lines"),   # archived
    ("090", "Business Bank Account"),        # bank
    ("610", "Accounts Receivable"),          # DEBTORS
    ("820", "GST"),                          # GST
    ("860", "Rounding"),                     # usable on a line, but not a sales account
    ("400", "Advertising"),                  # an expense
])
def test_propose_account_never_an_unusable_account(seeded, code, name):
    nz = seeded["NZ"]
    proposed = {nz.propose_account(code, name), nz.propose_account("4999", name)} - {None}
    assert code not in proposed
    assert all(nz.account_problem(c) is None and nz.account(c)["Class"] == "REVENUE" for c in proposed)


def test_propose_account_by_the_words_of_xero_s_name():
    """Odoo's generic chart calls it "Product Sales"; Xero's "Sales" holds no other word."""
    nz = OrgSettings(accounts=[{"Code": "200", "Name": "Sales", "Class": "REVENUE", "Type": "REVENUE"},
                               {"Code": "260", "Name": "Other Revenue", "Class": "REVENUE", "Type": "REVENUE"}])
    assert nz.propose_account("400000", "Product Sales") == "200"
    assert nz.propose_account("400000", "Consulting Fees") is None


# -- 3. accounts ----------------------------------------------------------------------------
@pytest.mark.parametrize("code, problem", [
    ("4999", "unknown"), ("", "unknown"), (None, "unknown"),
    ("250", "archived"),
    ("090", "not_for_sales"), ("610", "not_for_sales"), ("820", "not_for_sales"),
    ("200", None), ("860", None),
])
def test_account_problem(seeded, code, problem):
    assert seeded["UK"].account_problem(code) == problem


def test_sales_accounts_are_the_active_revenue_accounts(seeded):
    for settings in seeded.values():
        assert [a["Code"] for a in settings.sales_accounts()] == ["200", "260", "270", "4000"]


def test_rounding_account_is_found_by_system_account(fake):
    assert read_settings(fake, "NZ").rounding_account == "860"
    accounts = tenant(fake, "NZ").accounts
    rounding = accounts.account("860")
    accounts[rounding["AccountID"]] = dict(rounding, Code="8650")
    settings = read_settings(fake, "NZ")
    assert settings.account("860") is None and settings.rounding_account == "8650"


# -- 4. tax rates ---------------------------------------------------------------------------
def test_tax_problem(fake):
    rates = tenant(fake, "NZ").tax_rates
    rates["ZERORATED"] = dict(rates.rate("ZERORATED"), Status="ARCHIVED")
    nz = read_settings(fake, "NZ")
    assert nz.tax_problem("NOPE") == "unknown"
    assert nz.tax_problem("ZERORATED") == "archived"
    assert nz.tax_problem("INPUT2") == "not_for_sales"
    assert nz.tax_problem("output2", usage="purchase") == "not_for_purchases"
    assert nz.tax_problem("output2") is None and nz.tax_problem("INPUT2", usage="purchase") is None
    assert [t["TaxType"] for t in nz.sales_tax_rates()] == ["NONE", "OUTPUT2"]
    assert nz.propose_tax_type(0, "Zero rated") == "NONE"           # never the archived rate


def test_pair_refused(seeded):
    assert seeded["NZ"].pair_refused("OUTPUT2", "400") is True      # sales rate on an EXPENSE account
    assert seeded["NZ"].pair_refused("OUTPUT2", "200") is False
    assert seeded["AU"].pair_refused("CAPEXINPUT", "200") is True   # purchases rate on REVENUE
    assert seeded["AU"].pair_refused("CAPEXINPUT", "429") is False
    assert seeded["NZ"].pair_refused("NOPE", "200") is False        # unknown: tax_problem says so


# -- 5. lock date ---------------------------------------------------------------------------
def test_lock_date(fake):
    assert read_settings(fake, "UK").lock_date is None
    fake.set_lock_dates(fake.orgs["UK"], period=D(2024, 3, 31), end_of_year=D(2023, 12, 31))
    settings = read_settings(fake, "UK")
    assert settings.organisation["PeriodLockDate"].startswith("/Date(")
    assert settings.lock_date == D(2024, 3, 31)
    fake.set_lock_dates(fake.orgs["UK"], end_of_year=D(2023, 12, 31))
    assert read_settings(fake, "UK").lock_date == D(2023, 12, 31)


def test_lock_date_from_iso_strings_is_the_later_one():
    settings = OrgSettings({"PeriodLockDate": "2024-01-31", "EndOfYearLockDate": "2024-03-31T00:00:00"})
    assert settings.lock_date == D(2024, 3, 31)


# -- 6. currencies --------------------------------------------------------------------------
def test_currency_enabled(seeded):
    au = seeded["AU"]
    assert au.base_currency == "AUD"
    assert all(au.currency_enabled(code) for code in ("AUD", "NZD", "USD", "usd", "aud"))
    assert not any(au.currency_enabled(code) for code in ("GBP", "EUR", "", None))
    assert seeded["UK"].currency_enabled("eur") and not seeded["UK"].currency_enabled("NZD")


# -- 7. due dates ---------------------------------------------------------------------------
@pytest.mark.parametrize("invoice_date, days, kind, expected", [
    (D(2026, 1, 15), 30, "DAYSAFTERBILLDATE", D(2026, 2, 14)),
    (D(2026, 1, 15), 20, "DAYSAFTERBILLMONTH", D(2026, 2, 20)),
    (D(2026, 2, 10), 31, "OFCURRENTMONTH", D(2026, 2, 28)),
    (D(2026, 1, 31), 31, "OFFOLLOWINGMONTH", D(2026, 2, 28)),
    (D(2026, 12, 3), 15, "OFFOLLOWINGMONTH", D(2027, 1, 15)),
])
def test_due_date(invoice_date, days, kind, expected):
    assert due_date(invoice_date, days, kind) == expected


def test_due_date_of_an_unknown_type():
    with pytest.raises(ValueError):
        due_date(D(2026, 1, 15), 30, "DAYSAFTERNEXTFULLMOON")


# -- 8. rate_of -----------------------------------------------------------------------------
def test_rate_of():
    components = [{"Rate": 6.0}, {"Rate": 1.25}]
    assert rate_of({"EffectiveRate": 8.875, "DisplayTaxRate": 9.0, "TaxComponents": components}) == 8.875
    assert rate_of({"DisplayTaxRate": 15.0, "TaxComponents": components}) == 15.0
    assert rate_of({"TaxComponents": components}) == 7.25
    assert rate_of({"EffectiveRate": 0, "TaxComponents": components}) == 0
    assert rate_of({}) == 0


def test_rate_of_the_seeded_us_rates(seeded):
    assert rate_of(seeded["US"].tax_rate("OUTPUT")) == 8.875
    assert rate_of(seeded["US"].tax_rate("TAX001")) == 7.25
