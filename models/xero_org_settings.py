"""Xero's settings of a connection's organisation, read and kept: the organisation itself, its
accounts and tax rates (also as records, so mappings can pick them in a list), currencies,
tracking categories and branding themes. Read on connect, from the mapping wizard, nightly, and
when a sync finds them older than ``MAX_AGE``; every rule about them is ``xero.org_settings``."""
import datetime
import logging

from odoo import api, fields, models

from ..tools import side_cursor
from ..xero.errors import XeroError
from ..xero.org_settings import OrgSettings, rate_of

_logger = logging.getLogger(__name__)

MAX_AGE = datetime.timedelta(hours=6)
COLLECTIONS = ("Accounts", "TaxRates", "Currencies", "TrackingCategories", "BrandingThemes")


class XeroOrgSettings(models.Model):
    _name = "xero.org.settings"
    _description = "Xero organisation settings"
    _rec_name = "connection_id"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    refreshed_at = fields.Datetime("Read from Xero", readonly=True)
    tenant_id = fields.Char(readonly=True)
    organisation = fields.Json(readonly=True)
    accounts = fields.Json(readonly=True)
    tax_rates = fields.Json(readonly=True)
    currencies = fields.Json(readonly=True)
    tracking_categories = fields.Json(readonly=True)
    branding_themes = fields.Json(readonly=True)
    base_currency = fields.Char("Base currency", readonly=True)
    country = fields.Char(readonly=True)
    version = fields.Char("Edition", readonly=True)
    sales_tax_basis = fields.Char("Sales tax basis", readonly=True)
    lock_date = fields.Date("Locked up to", readonly=True,
                            help="Xero accepts no document dated on or before this day.")

    _sql_constraints = [("connection_uniq", "unique(connection_id)", "One set of Xero settings per connection.")]

    def _rules(self):
        """The kept settings as ``OrgSettings`` (empty when never read)."""
        if not self:
            return OrgSettings()
        return OrgSettings(self.organisation, self.accounts or (), self.tax_rates or (), self.currencies or (),
                           self.tracking_categories or (), self.branding_themes or ())

    @api.model
    def _read_from_xero(self, connection, client):
        """Read every collection of ``connection``'s organisation and keep them; returns the row."""
        answers = {"organisation": client.organisation()}
        for name in COLLECTIONS:
            answers[name] = list(client.iter_records(name))
        rules = OrgSettings(answers["organisation"], answers["Accounts"], answers["TaxRates"],
                            answers["Currencies"], answers["TrackingCategories"], answers["BrandingThemes"])
        org = answers["organisation"]
        values = {
            "refreshed_at": fields.Datetime.now(), "tenant_id": connection.tenant_id, "organisation": org,
            "accounts": answers["Accounts"], "tax_rates": answers["TaxRates"], "currencies": answers["Currencies"],
            "tracking_categories": answers["TrackingCategories"], "branding_themes": answers["BrandingThemes"],
            "base_currency": rules.base_currency, "country": org.get("CountryCode"), "version": rules.version,
            "sales_tax_basis": org.get("SalesTaxBasis"), "lock_date": rules.lock_date,
        }
        row = self.sudo().search([("connection_id", "=", connection.id)], limit=1)
        if row:
            row.write(values)
        else:
            row = self.sudo().create(dict(values, connection_id=connection.id))
        self.env["xero.account"]._replace(connection, answers["Accounts"], rules)
        self.env["xero.tax.rate"]._replace(connection, answers["TaxRates"], rules)
        self.env["xero.tracking.category"]._replace(connection, answers["TrackingCategories"])
        return row

    @api.model
    def _cron_refresh(self):
        """Nightly: every connected organisation's settings read again."""
        connections = self.env["xero.connection"].sudo().search([("tenant_id", "!=", False)]) \
            .filtered(lambda c: c.state == "connected")
        for done, connection in enumerate(connections, 1):
            try:
                connection._xero_refresh_settings()
            except XeroError as exc:
                _logger.warning("Could not read the Xero settings of connection %s: %s", connection.id, exc)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(connections) - done)
            side_cursor.commit(self.env)


class XeroAccount(models.Model):
    """An account of the organisation's chart, as last read (for picking in a mapping)."""

    _name = "xero.account"
    _description = "Xero account"
    _order = "code"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    code = fields.Char(required=True)
    name = fields.Char()
    account_type = fields.Char("Type")
    account_class = fields.Char("Class")
    status = fields.Char()
    system_account = fields.Char()
    sales_ok = fields.Boolean("Usable on sales", help="Active and not one of Xero's bank or system accounts.")
    revenue = fields.Boolean("Revenue account")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for account in self:
            account.display_name = "%s %s" % (account.code, account.name or "")

    @api.model
    def _replace(self, connection, accounts, rules):
        found = {a.code.upper(): a for a in self.sudo().search([("connection_id", "=", connection.id)])}
        for account in accounts:
            code = account.get("Code")
            if not code:
                continue  # Xero's accounts without a code cannot be used on a line
            values = {"code": code, "name": account.get("Name"), "account_type": account.get("Type"),
                      "account_class": account.get("Class"), "status": account.get("Status"),
                      "system_account": account.get("SystemAccount"),
                      "sales_ok": not rules.account_problem(code), "revenue": account.get("Class") == "REVENUE"}
            row = found.pop(code.upper(), None)
            if row:
                row.write(values)
            else:
                self.sudo().create(dict(values, connection_id=connection.id))
        for row in found.values():
            row.write({"status": "DELETED", "sales_ok": False})


class XeroTaxRate(models.Model):
    """A tax rate of the organisation, as last read (for picking in a mapping)."""

    _name = "xero.tax.rate"
    _description = "Xero tax rate"
    _order = "name"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    tax_type = fields.Char("Tax type", required=True)
    name = fields.Char()
    rate = fields.Float(digits=(16, 4))
    status = fields.Char()
    sales_ok = fields.Boolean("Usable on sales")

    @api.depends("tax_type", "name", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = "%s (%s%%)" % (rate.name or rate.tax_type, ("%.4f" % rate.rate).rstrip("0").rstrip("."))

    @api.model
    def _replace(self, connection, tax_rates, rules):
        found = {r.tax_type.upper(): r for r in self.sudo().search([("connection_id", "=", connection.id)])}
        for tax_rate in tax_rates:
            tax_type = tax_rate.get("TaxType")
            values = {"tax_type": tax_type, "name": tax_rate.get("Name"), "rate": rate_of(tax_rate),
                      "status": tax_rate.get("Status"), "sales_ok": not rules.tax_problem(tax_type)}
            row = found.pop(tax_type.upper(), None)
            if row:
                row.write(values)
            else:
                self.sudo().create(dict(values, connection_id=connection.id))
        for row in found.values():
            row.write({"status": "DELETED", "sales_ok": False})


class XeroTrackingCategory(models.Model):
    """A tracking category of the organisation (Region, Department...), as last read, with its
    active options (for mapping an analytic plan to it)."""

    _name = "xero.tracking.category"
    _description = "Xero tracking category"
    _order = "name"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    name = fields.Char(required=True)
    xero_id = fields.Char("TrackingCategoryID")
    status = fields.Char()
    options = fields.Json("Option list", readonly=True)
    option_names = fields.Char("Options", compute="_compute_option_names")

    @api.depends("options")
    def _compute_option_names(self):
        for category in self:
            category.option_names = ", ".join(category.options or [])

    @api.model
    def _replace(self, connection, categories):
        found = {c.xero_id: c for c in self.sudo().search([("connection_id", "=", connection.id)])}
        for category in categories:
            values = {"name": category.get("Name"), "xero_id": category.get("TrackingCategoryID"),
                      "status": category.get("Status"),
                      "options": [o.get("Name") for o in category.get("Options") or []
                                  if o.get("Status", "ACTIVE") == "ACTIVE" and o.get("Name")]}
            row = found.pop(values["xero_id"], None)
            if row:
                row.write(values)
            else:
                self.sudo().create(dict(values, connection_id=connection.id))
        for row in found.values():
            row.write({"status": "DELETED", "options": []})
