"""An organisation's chart of accounts and tax rates: how the fake stores them, and what a
new organisation starts with.

Xero seeds a new organisation by its edition (``Organisation.Version``: NZ, AU, UK, US,
GLOBAL). The seeds here are a small, realistic part of those charts, with the same codes in
every edition so tests can rely on them:

- 090 a bank account (payments can be made to it), 610 Accounts Receivable (DEBTORS),
  630 Inventory (INVENTORY), 800 Accounts Payable (CREDITORS), 820 the sales tax account
  (GST), 860 Rounding (ROUNDING), 960 Retained Earnings (RETAINEDEARNINGS);
- 200 Sales, 260 Other Revenue, 270 Interest Income (REVENUE), 4000 Sales - Services (SALES),
  250 an ARCHIVED revenue account; 310 Cost of Goods Sold (DIRECTCOSTS), 400 Advertising and
  429 General Expenses (EXPENSE);
- the edition's tax rates, with their TaxType codes (NZ OUTPUT2/INPUT2, AU OUTPUT/INPUT, ...),
  a few beyond the standard ones as a real organisation has them: rates for exports (AU
  EXEMPTEXPORT, NZ ZERORATED, UK ECZROUTPUT/ECZROUTPUTSERVICES), a second rate of the same
  percentage (AU CAPEXINPUT beside INPUT, both 10% on purchases), a reduced rate (UK RROUTPUT
  5%) and a custom US rate (TAX001, 7.25% in two components). Whether a rate may be used on an
  account is its CanApplyTo... flag for the account's Class (``CAN_APPLY``): 200 Sales with
  INPUT is a pairing Xero refuses.

Values of enums (AccountType, Class, SystemAccount, ReportTaxType, Status, CurrencyCode) are
members of Xero's OpenAPI enums, or xero-python cannot parse the answers. Tax rates have no ID
in Xero: their store is keyed by TaxType. Both stores may be changed by tests (archive an
account, add a rate) by assigning records, as any ``RecordStore``.
"""
import uuid

from .recordstore import CodeStore, RecordStore, fold
from .shapes import ms_date

_CLASS = {
    "BANK": "ASSET", "CURRENT": "ASSET", "INVENTORY": "ASSET", "FIXED": "ASSET",
    "NONCURRENT": "ASSET", "PREPAYMENT": "ASSET",
    "REVENUE": "REVENUE", "SALES": "REVENUE", "OTHERINCOME": "REVENUE",
    "DIRECTCOSTS": "EXPENSE", "EXPENSE": "EXPENSE", "OVERHEADS": "EXPENSE", "DEPRECIATN": "EXPENSE",
    "CURRLIAB": "LIABILITY", "LIABILITY": "LIABILITY", "TERMLIAB": "LIABILITY", "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
}
_REPORTING = {
    "ASSET": ("ASS", "Assets"), "EQUITY": ("EQU", "Equity"), "EXPENSE": ("EXP", "Expense"),
    "LIABILITY": ("LIA", "Liabilities"), "REVENUE": ("REV", "Revenue"),
}
# A tax rate applies to the accounts of these classes when its CanApplyTo... flag is true.
CAN_APPLY = {
    "ASSET": "CanApplyToAssets", "EQUITY": "CanApplyToEquity", "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities", "REVENUE": "CanApplyToRevenue",
}

# (Code, Name, Type, tax kind, extra): the tax kind picks the edition's TaxType below.
_ACCOUNTS = (
    ("090", "Business Bank Account", "BANK", "none", {"EnablePaymentsToAccount": True}),
    ("200", "Sales", "REVENUE", "sales", {"Description": "Income from any normal business activity"}),
    ("250", "Sales - Discontinued Lines", "REVENUE", "sales", {"Status": "ARCHIVED"}),
    ("260", "Other Revenue", "REVENUE", "sales",
     {"Description": "Any other income that does not relate to normal business activities"}),
    ("270", "Interest Income", "REVENUE", "none", {}),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "purchases", {"Description": "Cost of goods sold by the business"}),
    ("400", "Advertising", "EXPENSE", "purchases", {"ShowInExpenseClaims": True}),
    ("429", "General Expenses", "EXPENSE", "purchases", {"ShowInExpenseClaims": True}),
    ("4000", "Sales - Services", "SALES", "sales", {}),
    ("610", "Accounts Receivable", "CURRENT", "none", {"SystemAccount": "DEBTORS"}),
    ("630", "Inventory", "INVENTORY", "none", {"Description": "Value of tracked inventory items for resale."}),
    ("800", "Accounts Payable", "CURRLIAB", "none", {"SystemAccount": "CREDITORS"}),
    ("820", None, "CURRLIAB", "none", {"SystemAccount": "GST"}),
    ("860", "Rounding", "CURRLIAB", "none", {"SystemAccount": "ROUNDING"}),
    ("960", "Retained Earnings", "EQUITY", "none", {"SystemAccount": "RETAINEDEARNINGS"}),
)

# Edition -> (TaxType for sales, for purchases, for neither; name of account 820; bank number).
_EDITIONS = {
    "NZ": ("OUTPUT2", "INPUT2", "NONE", "GST", "0209087654321050"),
    "AU": ("OUTPUT", "INPUT", "BASEXCLUDED", "GST", "062000 12345678"),
    "UK": ("OUTPUT2", "INPUT2", "NONE", "VAT", "20-00-00 12345678"),
    "US": ("OUTPUT", "INPUT", "NONE", "Sales Tax", "021000021 123456789"),
    "GLOBAL": ("OUTPUT", "INPUT", "NONE", "Sales Tax", "12345678"),
}

_SALES = {"CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToExpenses": False,
          "CanApplyToLiabilities": True, "CanApplyToRevenue": True}
_PURCHASES = dict(_SALES, CanApplyToExpenses=True, CanApplyToRevenue=False)
_ANY = dict(_SALES, CanApplyToExpenses=True)
_IMPORTS = {"CanApplyToAssets": False, "CanApplyToEquity": False, "CanApplyToExpenses": False,
            "CanApplyToLiabilities": True, "CanApplyToRevenue": False}

# Edition -> (Name, TaxType, ReportTaxType, applies to, [(component, rate)]).
_TAX_RATES = {
    "NZ": (
        ("15% GST on Expenses", "INPUT2", "INPUT", _PURCHASES, [("GST", 15.0)]),
        ("15% GST on Income", "OUTPUT2", "OUTPUT", _SALES, [("GST", 15.0)]),
        ("GST on Imports", "GSTONIMPORTS", "GSTONIMPORTS", _IMPORTS, [("GST", 0.0)]),
        ("No GST", "NONE", "NONE", _ANY, [("GST", 0.0)]),
        ("Zero Rated", "ZERORATED", "ZERORATEDOUTPUT", _SALES, [("GST", 0.0)]),
    ),
    "AU": (
        ("BAS Excluded", "BASEXCLUDED", "BASEXCLUDED", _ANY, [("GST", 0.0)]),
        ("GST Free Expenses", "EXEMPTEXPENSES", "EXEMPTEXPENSES", _PURCHASES, [("GST", 0.0)]),
        ("GST Free Exports", "EXEMPTEXPORT", "EXEMPTEXPORT", _SALES, [("GST", 0.0)]),
        ("GST Free Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", _SALES, [("GST", 0.0)]),
        # Capital purchases (BAS G10): a second 10% rate on purchases, beside INPUT.
        ("GST on Capital", "CAPEXINPUT", "CAPEXINPUT", _PURCHASES, [("GST", 10.0)]),
        ("GST on Expenses", "INPUT", "INPUT", _PURCHASES, [("GST", 10.0)]),
        ("GST on Income", "OUTPUT", "OUTPUT", _SALES, [("GST", 10.0)]),
    ),
    "UK": (
        ("20% (VAT on Expenses)", "INPUT2", "INPUT", _PURCHASES, [("VAT", 20.0)]),
        ("20% (VAT on Income)", "OUTPUT2", "OUTPUT", _SALES, [("VAT", 20.0)]),
        # The reduced rate (domestic fuel and power, ...): its own TaxType, reported as output.
        ("5% (VAT on Income)", "RROUTPUT", "OUTPUT", _SALES, [("VAT", 5.0)]),
        ("Exempt Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", _SALES, [("VAT", 0.0)]),
        ("No VAT", "NONE", "NONE", _ANY, [("VAT", 0.0)]),
        ("Zero Rated EC Goods Income", "ECZROUTPUT", "ECOUTPUT", _SALES, [("VAT", 0.0)]),
        ("Zero Rated EC Services", "ECZROUTPUTSERVICES", "ECOUTPUTSERVICES", _SALES, [("VAT", 0.0)]),
        ("Zero Rated Income", "ZERORATEDOUTPUT", "ZERORATEDOUTPUT", _SALES, [("VAT", 0.0)]),
    ),
    "US": (
        # A custom rate: Xero names the ones an organisation adds TAX001, TAX002, ...
        ("California Sales Tax", "TAX001", "USSALESTAX", _SALES,
         [("State Tax", 6.0), ("County Tax", 1.25)]),
        ("Tax Exempt", "NONE", "NONE", _ANY, [("Tax Exempt", 0.0)]),
        ("Tax on Purchases", "INPUT", "INPUT", _PURCHASES, [("Purchase Tax", 0.0)]),
        # New York City: state 4%, city 4.5%, Metropolitan Commuter Transportation District 0.375%.
        ("Tax on Sales", "OUTPUT", "OUTPUT", _SALES,
         [("State Tax", 4.0), ("City Tax", 4.5), ("MCTD", 0.375)]),
    ),
    "GLOBAL": (
        ("Sales Tax on Imports", "GSTONIMPORTS", "GSTONIMPORTS", _IMPORTS, [("Tax", 0.0)]),
        ("Tax Exempt", "NONE", "NONE", _ANY, [("Tax", 0.0)]),
        ("Tax on Purchases", "INPUT", "INPUT", _PURCHASES, [("Tax", 0.0)]),
        ("Tax on Sales", "OUTPUT", "OUTPUT", _SALES, [("Tax", 0.0)]),
    ),
}


def _edition(version):
    return version if version in _EDITIONS else "GLOBAL"


def seed_accounts(version, currency, created):
    """The accounts a new organisation of edition ``version`` starts with, by AccountID."""
    sales, purchases, none, tax_account, bank_number = _EDITIONS[_edition(version)]
    taxes = {"sales": sales, "purchases": purchases, "none": none}
    accounts = {}
    for code, name, type_, tax, extra in _ACCOUNTS:
        account_class = _CLASS[type_]
        account = {
            "AccountID": str(uuid.uuid4()),
            "Code": code,
            "Name": name or tax_account,
            "Status": "ACTIVE",
            "Type": type_,
            "TaxType": taxes[tax],
            "Class": account_class,
            "EnablePaymentsToAccount": False,
            "ShowInExpenseClaims": False,
            "ReportingCode": _REPORTING[account_class][0],
            "ReportingCodeName": _REPORTING[account_class][1],
            "HasAttachments": False,
            "UpdatedDateUTC": ms_date(created),
        }
        if type_ == "BANK":
            account.update(BankAccountNumber=bank_number, BankAccountType="BANK",
                           CurrencyCode=currency, AddToWatchlist=True)
        account.update(extra)
        accounts[account["AccountID"]] = account
    return accounts


def seed_tax_rates(version):
    """The tax rates a new organisation of edition ``version`` starts with, by TaxType."""
    rates = {}
    for name, tax_type, report, applies, components in _TAX_RATES[_edition(version)]:
        rate = sum(r for _, r in components)
        rates[tax_type] = dict(applies, **{
            "Name": name,
            "TaxType": tax_type,
            "TaxComponents": [{"Name": n, "Rate": r, "IsCompound": False, "IsNonRecoverable": False}
                              for n, r in components],
            "Status": "ACTIVE",
            "ReportTaxType": report,
            "DisplayTaxRate": rate,
            "EffectiveRate": rate,
        })
    return rates


class AccountStore(CodeStore):
    """Accounts by AccountID, indexed and listed by Code."""

    ID_FIELD = "AccountID"
    NOUN = "accounts"

    def account(self, code):
        """The account with this Code (any case), or None."""
        return self.get(self.by_code(code))


class TaxRateStore(RecordStore):
    """Tax rates by TaxType (their only identifier), listed by Name."""

    ID_FIELD = "TaxType"
    NOUN = "tax rates"

    @staticmethod
    def order_key(record):
        return fold(record.get("Name"))

    def rate(self, tax_type):
        """The tax rate of this TaxType (any case), or None."""
        return self.get(self.find_id(tax_type))
