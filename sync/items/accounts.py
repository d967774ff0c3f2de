"""Which Xero account and tax type an Odoo product's account and taxes are, and back.

Until an administrator settles the map in the mapping wizard, the evident pairs are used: an
Odoo account whose code is an active Xero account's code, and an Odoo percentage tax whose rate
is the rate of exactly one active Xero tax type usable on sales (or on purchases). Anything else
is not sent (Xero takes an item without account or tax) and not changed when read back.
Xero's accounts and tax rates are read once per connection and kept a few minutes.
"""
import time

from ...xero.errors import XeroError

TTL = 600  # seconds Xero's accounts and tax rates are kept in memory
_CACHE = {}  # (database, connection id, tenant) -> (read at, Chart)


class Chart:
    """Xero's active accounts by code, and active tax rates by TaxType."""

    def __init__(self, accounts=(), tax_rates=()):
        self.accounts = {a["Code"]: a for a in accounts if a.get("Code") and a.get("Status", "ACTIVE") == "ACTIVE"}
        self.tax_rates = [t for t in tax_rates if t.get("Status", "ACTIVE") == "ACTIVE"]
        self.rate_of = {t["TaxType"]: _rate(t) for t in self.tax_rates}

    def tax_type(self, rate, usage):
        """The one active tax type of ``rate`` (a percentage) usable for ``usage`` (sale or
        purchase), or None when there is none or several."""
        flag = "CanApplyToRevenue" if usage == "sale" else "CanApplyToExpenses"
        found = [t["TaxType"] for t in self.tax_rates if t.get(flag) and _rate(t) == round(rate, 4)]
        return found[0] if len(found) == 1 else None


def _rate(tax_rate):
    return round(float(tax_rate.get("EffectiveRate") or tax_rate.get("DisplayTaxRate") or 0), 4)


def chart(sync, client):
    """Xero's chart of ``sync``'s connection (one read of each list per TTL)."""
    key = (sync.env.cr.dbname, sync.connection.id, sync.connection.tenant_id)
    read_at, found = _CACHE.get(key, (0, None))
    if found is None or time.monotonic() - read_at > TTL:
        try:
            found = Chart(client.iter_records("Accounts"), client.iter_records("TaxRates"))
        except XeroError:
            if found is None:
                raise
        else:
            _CACHE[key] = (time.monotonic(), found)
    return found


class AccountMap:
    """Odoo accounts and taxes of one company ⇄ Xero codes, for a run (lookups kept for the run)."""

    def __init__(self, company, chart_):
        self.company = company
        self.chart = chart_
        self._accounts, self._taxes = {}, {}

    def account_code(self, account):
        return account.code if account and account.code in self.chart.accounts else None

    def tax_type(self, taxes, usage):
        """The Xero tax type of the company's taxes of a product (one percentage tax), or None."""
        taxes = taxes.filtered(lambda t: t.company_id == self.company)
        if len(taxes) != 1 or taxes.amount_type != "percent" or taxes.price_include:
            return None
        return self.chart.tax_type(taxes.amount, usage)

    def account(self, code, env):
        """The company's Odoo account of a Xero code, or an empty recordset."""
        if not code or code not in self.chart.accounts:
            return env["account.account"]
        if code not in self._accounts:
            self._accounts[code] = env["account.account"].with_company(self.company).search(
                [("code", "=", code), ("company_ids", "in", self.company.id)], limit=1).id
        return env["account.account"].browse(self._accounts[code])

    def taxes(self, tax_type, usage, env):
        """The company's one Odoo tax of a Xero tax type's rate, or an empty recordset."""
        rate = self.chart.rate_of.get(tax_type) if tax_type else None
        if rate is None:
            return env["account.tax"]
        if (rate, usage) not in self._taxes:
            found = env["account.tax"].search([("company_id", "=", self.company.id), ("type_tax_use", "=", usage),
                                               ("amount_type", "=", "percent"), ("price_include", "=", False)])
            found = found.filtered(lambda t: round(t.amount, 4) == rate)
            self._taxes[rate, usage] = found.ids if len(found) == 1 else []
        return env["account.tax"].browse(self._taxes[rate, usage])
