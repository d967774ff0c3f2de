"""Settings → Xero → Mapping: the administrator settles, once and again at will, what Xero gets
for Odoo's taxes, income accounts, categories and payment terms, and how documents are sent.
Opening it reads Xero's settings again and proposes a row for whatever has none; saving
confirms every row. The rows are the connection's (``models/xero_mapping.py``)."""
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sync.engine import registry
from ..sync.mapping import messages, proposals
from ..xero.errors import XeroError

ADMIN = "xero_connector.group_xero_admin"
OPTIONS = {  # wizard field -> (config key, default)
    "document_type": ("xero_connector.document_type", "invoice"),
    "invoice_status": ("xero_connector.invoice_status", "DRAFT"),
    "numbering": ("xero_connector.numbering", "xero"),
    "currency_rate": ("xero_connector.currency_rate", "xero"),
}
SEND_ON_CONFIRM = "xero_connector.send_on_confirm"


class XeroMappingWizard(models.TransientModel):
    _name = "xero.mapping.wizard"
    _description = "Xero mapping"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade")
    read_error = fields.Char(readonly=True)
    settings_id = fields.Many2one(related="connection_id.xero_settings_id")
    refreshed_at = fields.Datetime(related="connection_id.xero_settings_id.refreshed_at")
    base_currency = fields.Char(related="connection_id.xero_settings_id.base_currency")
    version = fields.Char(related="connection_id.xero_settings_id.version")
    lock_date = fields.Date(related="connection_id.xero_settings_id.lock_date")

    tax_map_ids = fields.One2many(related="connection_id.tax_map_ids", readonly=False)
    account_map_ids = fields.One2many(related="connection_id.account_map_ids", readonly=False)
    category_map_ids = fields.One2many(related="connection_id.category_map_ids", readonly=False)
    payment_term_map_ids = fields.One2many(related="connection_id.payment_term_map_ids", readonly=False)
    tracking_map_ids = fields.One2many(related="connection_id.tracking_map_ids", readonly=False)
    default_account_id = fields.Many2one(
        "xero.account", string="Default sales account",
        domain="[('connection_id', '=', connection_id), ('sales_ok', '=', True), ('revenue', '=', True)]",
        help="Used for a product whose income account and category map to no Xero account.")
    branding_theme = fields.Selection("_branding_themes", string="Branding theme")

    document_type = fields.Selection([("invoice", "Invoice"), ("quote", "Quote")], string="Send orders as",
                                     required=True, default="invoice")
    invoice_status = fields.Selection(
        [("DRAFT", "Draft: finance completes and approves it in Xero"),
         ("SUBMITTED", "Awaiting approval"),
         ("AUTHORISED", "Approved: ready to send to the customer")],
        string="Invoices arrive in Xero as", required=True, default="DRAFT")
    send_on_confirm = fields.Boolean("Send each order when it is confirmed",
                                     help="Unticked: only when someone clicks Send to Xero.")
    numbering = fields.Selection([("xero", "Xero numbers the invoice"), ("odoo", "The order's number")],
                                 string="Invoice number", required=True, default="xero")
    currency_rate = fields.Selection([("xero", "Xero's rate of the day"), ("odoo", "Odoo's rate")],
                                     string="Exchange rate", required=True, default="xero")

    summary = fields.Text(compute="_compute_summary")
    map_when_opened = fields.Char(readonly=True)  # what the map was, to tell whether saving changed it
    ready = fields.Boolean(compute="_compute_summary")
    contacts_to_review = fields.Integer(compute="_compute_reviews")
    items_to_review = fields.Integer(compute="_compute_reviews")

    @api.model
    def _branding_themes(self):
        # A selection is the same for every row: the connection comes from the context the
        # wizard is opened with (``action_open_mapping``), else the company's.
        connection = self.env["xero.connection"].browse(self.env.context.get("xero_connection_id")).exists() \
            or self.env.company.xero_connection_id
        themes = connection.xero_settings_id.branding_themes or [] if connection else []
        return [(t["BrandingThemeID"], t.get("Name") or t["BrandingThemeID"]) for t in themes
                if t.get("BrandingThemeID")]

    def _check_admin(self):
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only Xero administrators can change the mapping."))

    def _prepare(self):
        """Read Xero's settings again, propose missing rows, and show the saved options."""
        self._check_admin()
        connection = self.connection_id
        try:
            connection._xero_refresh_settings()
            self.read_error = False
        except XeroError as exc:
            self.read_error = self.env._("Xero's settings could not be read now (%(error)s); the ones shown "
                                         "were read %(when)s.", error=exc,
                                         when=connection.xero_settings_id.refreshed_at or self.env._("never"))
        proposals.propose(connection)
        params = self.env["ir.config_parameter"].sudo()
        values = {field: params.get_param(key) or default for field, (key, default) in OPTIONS.items()}
        values["send_on_confirm"] = params.get_param(SEND_ON_CONFIRM) in ("1", "True", "true")
        code = connection.xero_default_sales_account
        values["default_account_id"] = self.env["xero.account"].search(
            [("connection_id", "=", connection.id), ("code", "=ilike", code)], limit=1).id if code else False
        theme = connection.xero_branding_theme_id
        values["branding_theme"] = theme if theme in dict(self._branding_themes()) else False
        values["map_when_opened"] = self._map_fingerprint()
        self.write(values)

    def _map_fingerprint(self):
        """The connection's map as a text, to see whether a save changed what documents get."""
        connection = self.connection_id
        rows = [(row._name, row[field].id, row[value])
                for rows, field, value in ((connection.tax_map_ids, "tax_id", "xero_tax_type"),
                                           (connection.account_map_ids, "account_id", "xero_account_code"),
                                           (connection.category_map_ids, "categ_id", "xero_account_code"),
                                           (connection.payment_term_map_ids, "payment_term_id", "xero_type"),
                                           (connection.tracking_map_ids, "plan_id", "xero_category"))
                for row in rows]
        rows += [(row._name, row.payment_term_id.id, row.xero_day) for row in connection.payment_term_map_ids]
        return json.dumps([sorted(map(str, rows)), connection.xero_default_sales_account or ""])

    @api.depends("tax_map_ids.problem", "account_map_ids.problem", "payment_term_map_ids.problem",
                 "category_map_ids.problem", "tracking_map_ids.problem", "default_account_id")
    def _compute_summary(self):
        for wizard in self:
            problems = wizard._problems()
            wizard.ready = not problems
            wizard.summary = "\n".join(problems) or self.env._("Every row is mapped and usable.")

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Xero mapping")

    def _problems(self):
        """What still needs the administrator, in plain words."""
        rules = self.connection_id.xero_settings_id._rules()
        out = []
        if not self.connection_id.xero_settings_id:
            out.append(messages.no_settings(self.env, self.connection_id.display_name))
        for label, rows, name in ((self.env._("Tax"), self.tax_map_ids, "tax_id"),
                                  (self.env._("Account"), self.account_map_ids, "account_id"),
                                  (self.env._("Category"), self.category_map_ids, "categ_id"),
                                  (self.env._("Payment terms"), self.payment_term_map_ids, "payment_term_id"),
                                  (self.env._("Analytic plan"), self.tracking_map_ids, "plan_id")):
            for row in rows.filtered("problem"):
                out.append(self.env._("%(kind)s %(name)s: %(problem)s", kind=label, name=row[name].sudo().display_name,
                             problem=row.problem))
        odoo = self.env["res.currency"].search([("active", "=", True)]).mapped("name")
        disabled = [code for code in odoo if rules.base_currency and not rules.currency_enabled(code)]
        if disabled:
            out.append(messages.currencies_disabled(self.env, disabled))
        codes = set(filter(None, self.account_map_ids.mapped("xero_account_code")
                           + self.category_map_ids.mapped("xero_account_code")
                           + [self.default_account_id.code]))
        for tax_type in set(filter(None, self.tax_map_ids.mapped("xero_tax_type"))):
            for code in sorted(codes):
                if rules.pair_refused(tax_type, code):
                    out.append(messages.pair_refused(self.env, self.env._("Mapping"), tax_type, code))
        return out

    @api.depends("connection_id")
    def _compute_reviews(self):
        for wizard in self:
            domain = [("connection_id", "=", wizard.connection_id.id), ("needs_review", "=", True)]
            wizard.contacts_to_review = self.env["xero.partner.link"].search_count(domain)
            wizard.items_to_review = self.env["xero.product.link"].search_count(domain)

    # -- buttons ----------------------------------------------------------------------------
    def action_save(self):
        """Keep the options and confirm every row as it stands."""
        self._check_admin()
        params = self.env["ir.config_parameter"].sudo()
        for field, (key, _default) in OPTIONS.items():
            params.set_param(key, self[field])
        params.set_param(SEND_ON_CONFIRM, "True" if self.send_on_confirm else "")
        self.connection_id.write({"xero_default_sales_account": self.default_account_id.code or False,
                                  "xero_branding_theme_id": self.branding_theme or False})
        for rows in (self.tax_map_ids, self.account_map_ids, self.category_map_ids, self.payment_term_map_ids,
                     self.tracking_map_ids):
            rows.filtered(lambda r: not r.confirmed).write({"confirmed": True})
        if self._map_fingerprint() != self.map_when_opened:
            # Records whose account, tax or terms now map differently, and those the old map
            # stopped, are sent again by the next run.
            requeued = sum(sync_type(self.connection_id).requeue_changed() for sync_type in registry.ordered())
            if requeued:
                self.env["xero.sync.state"]._trigger("push")
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Mapping saved"), "message": self._summary_line(), "type": "success",
            "next": {"type": "ir.actions.act_window_close"}}}

    def _summary_line(self):
        problems = self._problems()
        if not problems:
            return self.env._("Every row is mapped and usable.")
        return self.env._("%(count)s rows still need attention; the preflight names them on each order.",
                          count=len(problems))

    def action_refresh(self):
        self._prepare()
        return self._reopen()

    def action_test_run(self):
        self._check_admin()
        run = self.env["xero.test.run"].create({"connection_id": self.connection_id.id})
        return run._open()

    def action_review_contacts(self):
        return self._review("xero.partner.link", self.env._("Customers to review"))

    def action_review_items(self):
        return self._review("xero.product.link", self.env._("Products to review"))

    def _review(self, model, name):
        return {"type": "ir.actions.act_window", "name": name, "res_model": model, "view_mode": "list,form",
                "domain": [("connection_id", "=", self.connection_id.id), ("needs_review", "=", True)]}

    def _reopen(self):
        return {"type": "ir.actions.act_window", "name": self.env._("Xero mapping"), "res_model": self._name,
                "res_id": self.id, "view_mode": "form", "target": "new",
                "context": {"xero_connection_id": self.connection_id.id}}
