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
_RULES = {}  # (database, row id, read at) -> OrgSettings: the same reading is parsed once per worker
COLLECTIONS = ("Accounts", "TaxRates", "Currencies", "TrackingCategories", "BrandingThemes")


class XeroOrgSettings(models.Model):
    _name = "xero.org.settings"
    _description = "Xero organisation settings"
    _rec_name = "connection_id"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    refreshed_at = fields.Datetime("Read from Xero", readonly=True)
    revision = fields.Integer(readonly=True)  # one more at each reading (the parsed rules' cache key)
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
        """The kept settings as ``OrgSettings`` (empty when never read), built once per reading:
        every mapping row and preflight asks for them."""
        if not self:
            return OrgSettings()
        key = (self.env.cr.dbname, self.id, self.revision)
        if key not in _RULES:
            if len(_RULES) > 64:
                _RULES.clear()
            _RULES[key] = OrgSettings(self.organisation, self.accounts or (), self.tax_rates or (),
                                      self.currencies or (), self.tracking_categories or (),
                                      self.branding_themes or ())
        return _RULES[key]

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
            row.write(dict(values, revision=row.revision + 1))
        else:
            row = self.sudo().create(dict(values, connection_id=connection.id, revision=1))
        self.env["xero.account"]._replace(connection, answers["Accounts"], rules)
        self.env["xero.tax.rate"]._replace(connection, answers["TaxRates"], rules)
        self.env["xero.tracking.category"]._replace(connection, answers["TrackingCategories"])
        return row

    @api.model
    def _cron_refresh(self):
        """Nightly: every connected organisation's settings read again."""
        connections = self.env["xero.sync.state"]._connected()
        for done, connection in enumerate(connections, 1):
            try:
                connection._xero_refresh_settings(interactive=False)
            except XeroError as exc:
                _logger.warning("Could not read the Xero settings of connection %s: %s", connection.id, exc)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(connections) - done)
            side_cursor.commit(self.env)


class XeroSettingsRow(models.AbstractModel):
    """One record of a list of Xero's settings (an account, a tax rate...), kept as last read so
    that mappings can pick it; a record gone from Xero stays, marked deleted."""

    _name = "xero.settings.row"
    _description = "Xero settings row"
    _key = None  # the field that identifies a row within its connection
    _gone = {"status": "DELETED"}  # what a row gone from Xero becomes

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    status = fields.Char()

    @api.model
    def _replace_all(self, connection, values_list):
        """Make the connection's rows those of ``values_list`` (dicts of field values)."""
        key = self._key
        found = {(row[key] or "").upper(): row for row in self.sudo().search([("connection_id", "=", connection.id)])}
        new = []
        for values in values_list:
            row = found.pop((values[key] or "").upper(), None)
            if row:
                row.write(values)
            else:
                new.append(dict(values, connection_id=connection.id))
        self.sudo().create(new)
        for row in found.values():
            row.write(self._gone)


class XeroAccount(models.Model):
    """An account of the organisation's chart (for picking in a mapping)."""

    _name = "xero.account"
    _inherit = "xero.settings.row"
    _description = "Xero account"
    _order = "code"
    _key = "code"
    _gone = {"status": "DELETED", "sales_ok": False}

    code = fields.Char(required=True)
    name = fields.Char()
    account_type = fields.Char("Type")
    account_class = fields.Char("Class")
    system_account = fields.Char()
    sales_ok = fields.Boolean("Usable on sales", help="Active and not one of Xero's bank or system accounts.")
    revenue = fields.Boolean("Revenue account")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for account in self:
            account.display_name = "%s %s" % (account.code, account.name or "")

    @api.model
    def _replace(self, connection, accounts, rules):
        # Xero's accounts without a code cannot be used on a line.
        self._replace_all(connection, [{
            "code": a["Code"], "name": a.get("Name"), "account_type": a.get("Type"), "account_class": a.get("Class"),
            "status": a.get("Status"), "system_account": a.get("SystemAccount"),
            "sales_ok": not rules.account_problem(a["Code"]), "revenue": a.get("Class") == "REVENUE",
        } for a in accounts if a.get("Code")])


class XeroTaxRate(models.Model):
    """A tax rate of the organisation (for picking in a mapping)."""

    _name = "xero.tax.rate"
    _inherit = "xero.settings.row"
    _description = "Xero tax rate"
    _order = "name"
    _key = "tax_type"
    _gone = {"status": "DELETED", "sales_ok": False}

    tax_type = fields.Char("Tax type", required=True)
    name = fields.Char()
    rate = fields.Float(digits=(16, 4))
    sales_ok = fields.Boolean("Usable on sales")

    @api.depends("tax_type", "name", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = "%s (%s%%)" % (rate.name or rate.tax_type, ("%.4f" % rate.rate).rstrip("0").rstrip("."))

    @api.model
    def _replace(self, connection, tax_rates, rules):
        self._replace_all(connection, [{
            "tax_type": t["TaxType"], "name": t.get("Name"), "rate": rate_of(t), "status": t.get("Status"),
            "sales_ok": not rules.tax_problem(t["TaxType"]),
        } for t in tax_rates if t.get("TaxType")])


class XeroTrackingCategory(models.Model):
    """A tracking category of the organisation (Region, Department...) with its active options
    (for mapping an analytic plan to it)."""

    _name = "xero.tracking.category"
    _inherit = "xero.settings.row"
    _description = "Xero tracking category"
    _order = "name"
    _key = "xero_id"
    _gone = {"status": "DELETED", "options": []}

    name = fields.Char(required=True)
    xero_id = fields.Char("TrackingCategoryID")
    options = fields.Json("Option list", readonly=True)
    option_names = fields.Char("Options", compute="_compute_option_names")

    @api.depends("options")
    def _compute_option_names(self):
        for category in self:
            category.option_names = ", ".join(category.options or [])

    @api.model
    def _replace(self, connection, categories):
        self._replace_all(connection, [{
            "name": c.get("Name"), "xero_id": c["TrackingCategoryID"], "status": c.get("Status"),
            "options": [o["Name"] for o in c.get("Options") or [] if o.get("Status", "ACTIVE") == "ACTIVE"
                        and o.get("Name")],
        } for c in categories if c.get("TrackingCategoryID")])
