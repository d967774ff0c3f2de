"""Accounts and tax rates in the fake Xero: seeded per organisation by its edition, read
through xero-python (every value must be one its models accept) and filtered as Xero does.
Every request here must match Xero's OpenAPI description (the ``on_spec`` fixture). The
organisations of each edition (``orgs``, ``reader``): conftest.py."""
import pytest
from xero_python.exceptions import ApiException

from xero_sandbox import shapes
from xero_sandbox.chart import seed_tax_rates

pytestmark = pytest.mark.usefixtures("on_spec")

# Base currency -> (Version, TaxType on 200 Sales, on 400 Advertising, [(TaxType, rate)]).
EDITIONS = {
    "NZD": ("NZ", "OUTPUT2", "INPUT2",
            [("INPUT2", 15), ("OUTPUT2", 15), ("GSTONIMPORTS", 0), ("NONE", 0), ("ZERORATED", 0)]),
    "AUD": ("AU", "OUTPUT", "INPUT",
            [("BASEXCLUDED", 0), ("EXEMPTEXPENSES", 0), ("EXEMPTEXPORT", 0), ("EXEMPTOUTPUT", 0),
             ("CAPEXINPUT", 10), ("INPUT", 10), ("OUTPUT", 10)]),
    "GBP": ("UK", "OUTPUT2", "INPUT2",
            [("INPUT2", 20), ("OUTPUT2", 20), ("RROUTPUT", 5), ("EXEMPTOUTPUT", 0), ("NONE", 0),
             ("ECZROUTPUT", 0), ("ECZROUTPUTSERVICES", 0), ("ZERORATEDOUTPUT", 0)]),
    "USD": ("US", "OUTPUT", "INPUT", [("TAX001", 7.25), ("NONE", 0), ("INPUT", 0), ("OUTPUT", 8.875)]),
    "EUR": ("GLOBAL", "OUTPUT", "INPUT", [("GSTONIMPORTS", 0), ("NONE", 0), ("INPUT", 0), ("OUTPUT", 0)]),
}
CODES = ["090", "200", "250", "260", "270", "310", "400", "429", "4000", "610", "630", "800", "820",
         "860", "960"]


@pytest.mark.parametrize("currency", sorted(EDITIONS))
def test_each_edition_starts_with_its_chart_and_tax_rates(fx, orgs, reader, currency):
    version, sales_tax, purchase_tax, rates = EDITIONS[currency]
    tenant = orgs[currency]
    assert fx.tenant(tenant).organisation["Version"] == version
    accounts = {a.code: a for a in reader.get_accounts(tenant).accounts}
    assert sorted(accounts) == sorted(CODES)
    kinds = {code: (a.type.value, a._class, a.status, a.system_account) for code, a in accounts.items()}
    assert kinds["200"] == ("REVENUE", "REVENUE", "ACTIVE", None)
    assert kinds["4000"] == ("SALES", "REVENUE", "ACTIVE", None)
    assert kinds["250"] == ("REVENUE", "REVENUE", "ARCHIVED", None)
    assert kinds["310"] == ("DIRECTCOSTS", "EXPENSE", "ACTIVE", None)
    assert kinds["400"] == ("EXPENSE", "EXPENSE", "ACTIVE", None)
    assert kinds["630"] == ("INVENTORY", "ASSET", "ACTIVE", None)
    assert kinds["610"] == ("CURRENT", "ASSET", "ACTIVE", "DEBTORS")
    assert kinds["860"][3] == "ROUNDING" and kinds["800"][3] == "CREDITORS" and kinds["820"][3] == "GST"
    bank = accounts["090"]
    assert bank.type.value == "BANK" and bank.enable_payments_to_account is True
    assert bank.currency_code.value == currency and bank.bank_account_type == "BANK"
    assert accounts["200"].tax_type == sales_tax and accounts["400"].tax_type == purchase_tax
    assert accounts["200"].updated_date_utc.tzinfo is not None

    got = reader.get_tax_rates(tenant).tax_rates
    assert sorted((r.tax_type, float(r.effective_rate)) for r in got) == sorted(rates)
    assert [r.name for r in got] == sorted(r.name for r in got)     # listed by Name
    by_type = {r.tax_type: r for r in got}
    assert all(r.status == "ACTIVE" and r.tax_components for r in got)
    assert by_type[sales_tax].can_apply_to_revenue and not by_type[sales_tax].can_apply_to_expenses
    assert by_type[purchase_tax].can_apply_to_expenses and not by_type[purchase_tax].can_apply_to_revenue
    for r in got:
        assert r.display_tax_rate == r.effective_rate == sum(c.rate for c in r.tax_components)


def test_edition_names_and_components():
    nz, uk, us = seed_tax_rates("NZ"), seed_tax_rates("UK"), seed_tax_rates("US")
    assert (nz["OUTPUT2"]["Name"], nz["OUTPUT2"]["ReportTaxType"]) == ("15% GST on Income", "OUTPUT")
    assert (nz["INPUT2"]["Name"], nz["NONE"]["Name"]) == ("15% GST on Expenses", "No GST")
    assert uk["OUTPUT2"]["Name"] == "20% (VAT on Income)" and uk["OUTPUT2"]["TaxComponents"][0]["Name"] == "VAT"
    assert (us["OUTPUT"]["Name"], us["NONE"]["Name"]) == ("Tax on Sales", "Tax Exempt")
    assert [c["Rate"] for c in us["OUTPUT"]["TaxComponents"]] == [4.0, 4.5, 0.375]
    assert seed_tax_rates("XX") == seed_tax_rates("GLOBAL")


def test_rates_for_exports_capital_reduced_and_custom_read_through_the_sdk(orgs, reader):
    """Beyond each edition's standard rates: their ReportTaxType is one of xero-python's enums,
    and CanApplyToRevenue says which go on a revenue account."""
    def rates(currency):
        return {r.tax_type: r for r in reader.get_tax_rates(orgs[currency]).tax_rates}

    def shape(rate):
        return (rate.name, float(rate.effective_rate), rate.report_tax_type, rate.can_apply_to_revenue,
                rate.can_apply_to_expenses)
    au, uk, us, nz = rates("AUD"), rates("GBP"), rates("USD"), rates("NZD")
    assert shape(au["EXEMPTEXPORT"]) == ("GST Free Exports", 0.0, "EXEMPTEXPORT", True, False)
    assert shape(au["CAPEXINPUT"]) == ("GST on Capital", 10.0, "CAPEXINPUT", False, True)
    assert shape(nz["ZERORATED"]) == ("Zero Rated", 0.0, "ZERORATEDOUTPUT", True, False)
    assert shape(uk["ECZROUTPUT"]) == ("Zero Rated EC Goods Income", 0.0, "ECOUTPUT", True, False)
    assert shape(uk["ECZROUTPUTSERVICES"]) == ("Zero Rated EC Services", 0.0, "ECOUTPUTSERVICES", True, False)
    assert shape(uk["RROUTPUT"]) == ("5% (VAT on Income)", 5.0, "OUTPUT", True, False)
    assert shape(us["TAX001"]) == ("California Sales Tax", 7.25, "USSALESTAX", True, False)
    assert [(c.name, float(c.rate)) for c in us["TAX001"].tax_components] == [("State Tax", 6.0), ("County Tax", 1.25)]
    revenue = {currency: sorted(t for t, r in rates(currency).items() if r.can_apply_to_revenue)
               for currency in ("AUD", "NZD", "GBP", "USD")}
    assert revenue == {
        "AUD": ["BASEXCLUDED", "EXEMPTEXPORT", "EXEMPTOUTPUT", "OUTPUT"],
        "NZD": ["NONE", "OUTPUT2", "ZERORATED"],
        "GBP": ["ECZROUTPUT", "ECZROUTPUTSERVICES", "EXEMPTOUTPUT", "NONE", "OUTPUT2", "RROUTPUT",
                "ZERORATEDOUTPUT"],
        "USD": ["NONE", "OUTPUT", "TAX001"],
    }
    # Two rates of 10% on purchases in AU: a reader that maps a rate to one TaxType must choose.
    assert sorted(t for t, r in au.items() if r.can_apply_to_expenses and float(r.effective_rate) == 10) == [
        "CAPEXINPUT", "INPUT"]


def test_a_revenue_account_takes_only_a_rate_that_applies_to_revenue(fx, orgs):
    with pytest.raises(ValueError) as err:
        fx.add_item(orgs["AUD"], {"Code": "CAP", "SalesDetails": {"AccountCode": "200", "TaxType": "CAPEXINPUT"}})
    assert str(err.value) == "The TaxType code 'CAPEXINPUT' cannot be used with account code '200'."
    with pytest.raises(ValueError) as err:
        fx.add_item(orgs["USD"], {"Code": "CA", "PurchaseDetails": {"AccountCode": "400", "TaxType": "TAX001"}})
    assert str(err.value) == "The TaxType code 'TAX001' cannot be used with account code '400'."
    exported = fx.add_item(orgs["AUD"], {"Code": "EXP",
                                         "SalesDetails": {"AccountCode": "200", "TaxType": "EXEMPTEXPORT"}})
    california = fx.add_item(orgs["USD"], {"Code": "CA", "SalesDetails": {"AccountCode": "4000", "TaxType": "TAX001"}})
    reduced = fx.add_item(orgs["GBP"], {"Code": "FUEL", "SalesDetails": {"AccountCode": "200", "TaxType": "RROUTPUT"}})
    assert [i["SalesDetails"]["TaxType"] for i in (exported, california, reduced)] \
        == ["EXEMPTEXPORT", "TAX001", "RROUTPUT"]


def test_accounts_where_order_if_modified_since_and_by_id(fx, sdk, clock):
    acc = sdk.accounting
    codes = lambda **kw: [a.code for a in acc.get_accounts(fx.tid, **kw).accounts]
    assert codes(where='Status=="ACTIVE" AND Type=="BANK"') == ["090"]
    assert codes(where='Class=="REVENUE"') == ["200", "250", "260", "270", "4000"]
    assert codes(where='SystemAccount=="ROUNDING"') == ["860"]
    assert codes(order="Name ASC")[:3] == ["800", "610", "400"]    # Accounts Payable, Receivable, Advertising
    assert codes(order="Code DESC")[0] == "960"
    clock.advance(60)
    since = clock.utcnow()
    assert codes(if_modified_since=since) == []
    clock.advance(1)
    accounts = fx.tenant(fx.tid).accounts                           # a change made in Xero
    advertising = accounts.account("400")
    accounts[advertising["AccountID"]] = dict(advertising, Status="ARCHIVED",
                                              UpdatedDateUTC=shapes.ms_date(clock.now()))
    assert codes(if_modified_since=since) == ["400"]

    one = acc.get_account(fx.tid, advertising["AccountID"]).accounts[0]
    assert one.code == "400" and one.status == "ARCHIVED"
    with pytest.raises(ApiException) as err:
        acc.get_account(fx.tid, "00000000-0000-0000-0000-000000000000")
    assert err.value.status == 404


def test_tax_rates_where_order_and_by_tax_type(fx, sdk):
    acc = sdk.accounting
    types = lambda **kw: [r.tax_type for r in acc.get_tax_rates(fx.tid, **kw).tax_rates]
    assert types(where="CanApplyToRevenue==true AND EffectiveRate>0") == ["OUTPUT2"]
    assert types(where='Status=="ACTIVE"', order="EffectiveRate DESC, Name ASC")[:2] == ["INPUT2", "OUTPUT2"]
    assert types(where='ReportTaxType=="NONE"') == ["NONE"]
    one = acc.get_tax_rate_by_tax_type(fx.tid, "OUTPUT2").tax_rates
    assert [(r.name, float(r.display_tax_rate)) for r in one] == [("15% GST on Income", 15.0)]
    with pytest.raises(ApiException) as err:
        acc.get_tax_rate_by_tax_type(fx.tid, "TAX999")
    assert err.value.status == 404


def test_each_organisation_has_its_own_chart(fx, orgs):
    nz, other = fx.tenant(orgs["NZD"]), fx.tenant(fx.tid)
    assert nz.accounts.account("200")["AccountID"] != other.accounts.account("200")["AccountID"]
    sales = nz.accounts.account("200")
    nz.accounts[sales["AccountID"]] = dict(sales, Status="ARCHIVED")
    assert other.accounts.account("200")["Status"] == "ACTIVE"
    assert nz.accounts.account(" 200 ")["Status"] == "ARCHIVED" and nz.accounts.account("999") is None
    assert nz.tax_rates.rate("output2")["TaxType"] == "OUTPUT2" and nz.tax_rates.rate("OUTPUT") is None
