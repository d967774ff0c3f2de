"""A connection's mapping: Xero's settings as last read, the administrator's map, the defaults
documents use, and the way into the mapping wizard."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..xero.errors import XeroError
from .xero_org_settings import MAX_AGE

_logger = logging.getLogger(__name__)
ADMIN = "xero_connector.group_xero_admin"


class XeroConnection(models.Model):
    _inherit = "xero.connection"

    xero_settings_id = fields.Many2one("xero.org.settings", string="Xero settings", compute="_compute_xero_settings")
    xero_default_sales_account = fields.Char(
        "Default sales account", help="Xero account code of sales lines whose product maps to none.")
    xero_branding_theme_id = fields.Char("Branding theme", help="Xero BrandingThemeID of documents sent from Odoo.")
    tax_map_ids = fields.One2many("xero.tax.map", "connection_id", string="Taxes")
    account_map_ids = fields.One2many("xero.account.map", "connection_id", string="Income accounts")
    category_map_ids = fields.One2many("xero.category.map", "connection_id", string="Product categories")
    payment_term_map_ids = fields.One2many("xero.payment.term.map", "connection_id", string="Payment terms")
    tracking_map_ids = fields.One2many("xero.tracking.map", "connection_id", string="Analytic plans")
    xero_mapping_todo = fields.Integer("Mapping rows to settle", compute="_compute_xero_mapping_todo")
    xero_mapping_status = fields.Char("Mapping", compute="_compute_xero_mapping_todo")

    def _compute_xero_settings(self):
        rows = self.env["xero.org.settings"].sudo().search([("connection_id", "in", self.ids)])
        by_connection = {row.connection_id.id: row for row in rows}
        for connection in self:
            row = by_connection.get(connection.id)
            connection.xero_settings_id = row if row and row.tenant_id == connection.tenant_id else False

    @api.depends("tax_map_ids.confirmed", "account_map_ids.confirmed", "category_map_ids.confirmed",
                 "payment_term_map_ids.confirmed", "tracking_map_ids.confirmed", "tax_map_ids.xero_tax_type",
                 "account_map_ids.xero_account_code", "category_map_ids.xero_account_code",
                 "payment_term_map_ids.xero_type", "payment_term_map_ids.xero_day", "tracking_map_ids.xero_category")
    def _compute_xero_mapping_todo(self):
        for connection in self:
            maps = (connection.tax_map_ids, connection.account_map_ids, connection.category_map_ids,
                    connection.payment_term_map_ids, connection.tracking_map_ids)
            rows = sum(len(rows) for rows in maps)
            todo = sum(len(rows.filtered(lambda row: row.problem or not row.confirmed)) for rows in maps)
            connection.xero_mapping_todo = todo
            if not rows:
                connection.xero_mapping_status = self.env._("Not settled yet: open it to review what is proposed.")
            elif todo == 1:
                connection.xero_mapping_status = self.env._("One row, proposed or unsettled, waits for you.")
            elif todo:
                connection.xero_mapping_status = self.env._("%s rows, proposed or unsettled, wait for you.", todo)
            else:
                connection.xero_mapping_status = self.env._("Settled.")

    def _xero_short_code(self):
        """The organisation's ShortCode, which Xero's web links carry (None before it is read)."""
        return (self.xero_settings_id.organisation or {}).get("ShortCode")

    def _xero_base_currency(self):
        """The organisation's base currency as its settings were last read, else the company's:
        what the receivables' amounts are in."""
        code = self.xero_settings_id.base_currency
        found = self.env["res.currency"].with_context(active_test=False).search([("name", "=", code)], limit=1) \
            if code else None
        return found or self.company_id.currency_id

    def _xero_refresh_settings(self, client=None, interactive=True):
        """Read the organisation's settings from Xero now and keep them (``interactive``: someone
        waits, so the calls kept for people may be used; the nightly job does not)."""
        self.ensure_one()
        if client is not None:
            row = self.env["xero.org.settings"]._read_from_xero(self, client)
        else:
            with self._xero_session(interactive=interactive) as session:
                row = self.env["xero.org.settings"]._read_from_xero(self, session)
        self.invalidate_recordset(["xero_settings_id"])
        return row

    def _xero_fresh_settings(self, client):
        """The kept settings, read again first when missing or older than ``MAX_AGE``."""
        row = self.xero_settings_id
        if not row or not row.refreshed_at or fields.Datetime.now() - row.refreshed_at > MAX_AGE:
            row = self._xero_refresh_settings(client)
        return row._rules()

    def _xero_set_tenant(self, tenant):
        result = super()._xero_set_tenant(tenant)
        try:  # best effort: the wizard and the nightly job read them again
            self._xero_refresh_settings()
        except XeroError as exc:
            _logger.warning("Connected, but Xero's settings could not be read: %s", exc)
        return result

    def action_open_mapping(self):
        """Settings → Xero → Mapping: read Xero's settings again, propose rows for what has none,
        and open the wizard."""
        self.ensure_one()
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only Xero administrators can change the mapping."))
        if not self.tenant_id:
            raise UserError(self.env._(
                "Connect %(name)s to a Xero organisation first: the mapping needs its settings.",
                name=self.display_name))
        wizard = self.env["xero.mapping.wizard"].with_context(xero_connection_id=self.id).create(
            {"connection_id": self.id})
        wizard._prepare()
        return wizard._reopen()

    def _xero_tenant_changed(self, old_tenant_id):
        result = super()._xero_tenant_changed(old_tenant_id)
        # Another organisation has other accounts and rates: every row is to be confirmed again.
        for rows in (self.tax_map_ids, self.account_map_ids, self.category_map_ids, self.payment_term_map_ids,
                     self.tracking_map_ids):
            rows.write({"confirmed": False})
        return result
