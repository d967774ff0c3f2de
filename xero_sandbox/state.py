"""The organisations (tenants) the fake holds, and their data in Xero's JSON shape.

Each tenant keeps one mapping per resource (``contacts``, ``items``, ``accounts``,
``tax_rates``, ``currencies``, ``tracking_categories``, ``branding_themes``, ``invoices``,
``quotes``, ``credit_notes``, ``payments``, ``allocations``) from the Xero ID to the stored
record, exactly as Xero would answer it, so handlers return stored dicts and tests can
inspect or seed them directly. Each is a ``RecordStore`` (``recordstore.py``): a dict-like
mapping that keeps the indexes Xero's lookups and uniqueness rules need, so 100,000 contacts
or 20,000 items stay fast. A new organisation starts with the chart of accounts and the tax
rates of its edition (``chart.py``) and its settings (``settings.py``). ``lock`` serialises
writes to one tenant so a batch is all-or-nothing. ``emails`` counts the e-mails Xero sent
per InvoiceID.

The organisation answer is realistic per edition: its tax basis and period, its financial year
end, and no lock dates until one is set (Xero omits them when unset): ``set_lock_dates``.
"""
import calendar
import collections
import datetime
import secrets
import string
import threading
import uuid

from . import settings
from .chart import AccountStore, TaxRateStore, seed_accounts, seed_tax_rates
from .contactstore import ContactStore
from .documentstore import AllocationStore, CreditNoteStore, InvoiceStore, PaymentStore, QuoteStore
from .items import ItemStore
from .shapes import ms_date

# Currency -> (CountryCode, Version, Timezone) for the organisation answer; values must be
# members of xero-python's enums (CountryCode, TimeZone) or the SDK cannot parse the answer.
_REGIONS = {
    "NZD": ("NZ", "NZ", "NEWZEALANDSTANDARDTIME"),
    "AUD": ("AU", "AU", "AUSEASTERNSTANDARDTIME"),
    "GBP": ("GB", "UK", "GMTSTANDARDTIME"),
    "USD": ("US", "US", "EASTERNSTANDARDTIME"),
    "EUR": ("IE", "GLOBAL", "GMTSTANDARDTIME"),
}
# Version -> (SalesTaxBasis, SalesTaxPeriod, DefaultSalesTax, DefaultPurchasesTax, financial
# year end (day, month)): what an organisation of that edition typically answers. Values are
# members of the spec's (and xero-python's) enums, each edition with the spelling its own list
# uses (AU "ACCRUALS", the UK and US "ACCRUAL"): NZ GST every two months on payments, AU BAS
# quarterly, UK VAT quarterly, a US organisation files sales tax outside Xero (NONE).
_TAX_SETTINGS = {
    "NZ": ("PAYMENTS", "TWOMONTHS", "Tax Exclusive", "Tax Exclusive", (31, 3)),
    "AU": ("ACCRUALS", "QUARTERLY1", "Tax Exclusive", "Tax Inclusive", (30, 6)),
    "UK": ("ACCRUAL", "QUARTERLY", "Tax Exclusive", "Tax Inclusive", (31, 3)),
    "US": ("ACCRUAL", "NONE", "Tax Exclusive", "Tax Exclusive", (31, 12)),
    "GLOBAL": ("ACCRUAL", "NONE", "Tax Exclusive", "Tax Exclusive", (31, 12)),
}


def _short_code():
    return "!" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(5))


def build_organisation(tenant_id, name, base_currency, short_code, created):
    country, version, timezone = _REGIONS.get(base_currency, ("NZ", "GLOBAL", "UTC"))
    basis, period, sales_tax, purchases_tax, (year_end_day, year_end_month) = _TAX_SETTINGS[version]
    return {
        "OrganisationID": tenant_id,    # Xero's tenantId of an organisation is its OrganisationID
        "APIKey": secrets.token_hex(15).upper(),
        "Name": name,
        "LegalName": name,
        "PaysTax": True,
        "Version": version,
        "OrganisationType": "COMPANY",
        "BaseCurrency": base_currency,
        "CountryCode": country,
        "IsDemoCompany": "demo company" in name.lower(),
        "OrganisationStatus": "ACTIVE",
        "FinancialYearEndDay": year_end_day,
        "FinancialYearEndMonth": year_end_month,
        "SalesTaxBasis": basis,
        "SalesTaxPeriod": period,
        "DefaultSalesTax": sales_tax,
        "DefaultPurchasesTax": purchases_tax,
        "CreatedDateUTC": ms_date(created, offset=False),
        "OrganisationEntityType": "COMPANY",
        "Timezone": timezone,
        "ShortCode": short_code or _short_code(),
        "Edition": "BUSINESS",
        "Class": "PREMIUM",
        "Addresses": [],
        "Phones": [],
        "ExternalLinks": [],
        "PaymentTerms": {},
    }


class Tenant:
    def __init__(self, tenant_id, name, organisation, created):
        self.tenant_id = tenant_id
        self.name = name
        self.organisation = organisation
        version = organisation["Version"]
        self.contacts = ContactStore()      # ContactID -> contact dict (Xero shape), indexed
        self.items = ItemStore()            # ItemID -> item dict
        self.accounts = AccountStore(seed_accounts(version, organisation["BaseCurrency"], created))
        self.tax_rates = TaxRateStore(seed_tax_rates(version))     # TaxType -> tax rate dict
        # The settings (settings.py): currencies by Code, tracking categories (their options
        # inside) by TrackingCategoryID, branding themes by BrandingThemeID.
        self.currencies = settings.CurrencyStore(settings.seed_currencies(version, organisation["BaseCurrency"]))
        self.tracking_categories = settings.TrackingCategoryStore(settings.seed_tracking_categories())
        self.branding_themes = settings.BrandingThemeStore(settings.seed_branding_themes(created))
        # Sales documents and what settles them (documentstore.py), and e-mails sent per InvoiceID.
        self.invoices = InvoiceStore()
        self.quotes = QuoteStore()
        self.credit_notes = CreditNoteStore()
        self.payments = PaymentStore()
        self.allocations = AllocationStore()
        self.emails = collections.Counter()
        self.lock = threading.RLock()

    def set_lock_dates(self, period=None, end_of_year=None):
        """Set (a date) or clear (None) the organisation's PeriodLockDate ("stop all users
        except advisers") and EndOfYearLockDate ("stop all users"), as Xero writes them:
        ``/Date(ms+0000)/`` at midnight UTC. Xero refuses an end-of-year lock later than the
        period lock: ValueError. The answer is replaced, not changed, so a GET in flight copies
        either version whole."""
        if period is not None and end_of_year is not None and _day(end_of_year) > _day(period):
            raise ValueError("The lock date for all users must be on or before the lock date "
                             "for all users except advisers")
        organisation = dict(self.organisation)
        for key, day in (("PeriodLockDate", period), ("EndOfYearLockDate", end_of_year)):
            if day is None:
                organisation.pop(key, None)
            else:
                organisation[key] = ms_date(calendar.timegm(_day(day).timetuple()))
        self.organisation = organisation
        return organisation

    def __repr__(self):
        return "<Tenant %s %r: %d contacts, %d items, %d invoices>" % (
            self.tenant_id, self.name, len(self.contacts), len(self.items), len(self.invoices))


def _day(value):
    """A date of a date or a datetime (its calendar day as given)."""
    return value.date() if isinstance(value, datetime.datetime) else value


class Store:
    def __init__(self, clock):
        self.clock = clock
        self.tenants = {}
        self._lock = threading.Lock()

    def add_tenant(self, name, base_currency="NZD", short_code=None, tenant_id=None):
        tenant_id = tenant_id or str(uuid.uuid4())
        created = self.clock.now()
        org = build_organisation(tenant_id, name, base_currency, short_code, created)
        tenant = Tenant(tenant_id, name, org, created)
        with self._lock:
            self.tenants[tenant_id] = tenant
        return tenant

    def get(self, tenant_id):
        # GUIDs compare case-insensitively on Xero (xero-tenant-id may come upper-case).
        return self.tenants.get(tenant_id) or next(
            (t for tid, t in self.tenants.items() if tid.lower() == tenant_id.lower()), None)
