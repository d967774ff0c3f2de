"""Tax rates (read-only here): GET /TaxRates (where, order; listed by Name) and
GET /TaxRates/{TaxType}, the spec's way to ask for one TaxType. Tax rates have no
UpdatedDateUTC, so no If-Modified-Since. The rates a new organisation starts with: ``chart.py``."""
from . import listing

READ_SCOPES = ("accounting.settings", "accounting.settings.read")


def register(router):
    listing.register_reads(router, "/TaxRates", "TaxRates", lambda tenant: tenant.tax_rates, READ_SCOPES,
                           modified=False)
