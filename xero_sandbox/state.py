"""The organisations (tenants) the fake holds, and their data in Xero's JSON shape.

Each tenant keeps one mapping per resource (``contacts``, ``items``, ``accounts``,
``tax_rates``; ``invoices`` ... can be added the same way) from the Xero ID to the stored
record, exactly as Xero would answer it, so handlers return stored dicts and tests can
inspect or seed them directly. Each is a ``RecordStore`` (``recordstore.py``): a dict-like
mapping that keeps the indexes Xero's lookups and uniqueness rules need, so 100,000 contacts
or 20,000 items stay fast. A new organisation starts with the chart of accounts and the tax
rates of its edition (``chart.py``). ``lock`` serialises writes to one tenant so a batch is
all-or-nothing.
"""
import secrets
import string
import threading
import uuid

from .chart import AccountStore, TaxRateStore, seed_accounts, seed_tax_rates
from .contactstore import ContactStore
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


def _short_code():
    return "!" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(5))


def build_organisation(tenant_id, name, base_currency, short_code, created):
    country, version, timezone = _REGIONS.get(base_currency, ("NZ", "GLOBAL", "UTC"))
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
        "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": 3,
        "SalesTaxBasis": "PAYMENTS",
        "SalesTaxPeriod": "TWOMONTHS",
        "DefaultSalesTax": "Tax Exclusive",
        "DefaultPurchasesTax": "Tax Exclusive",
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
        self.lock = threading.RLock()

    def __repr__(self):
        return "<Tenant %s %r: %d contacts, %d items>" % (
            self.tenant_id, self.name, len(self.contacts), len(self.items))


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
