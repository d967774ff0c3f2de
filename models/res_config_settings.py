from odoo import api, fields, models

from ..tools import crypto

ADMIN = "xero_connector.group_xero_admin"
URL_KEYS = ("api_url", "identity_url", "login_url")  # one address stands in for all three hosts


class ResConfigSettings(models.TransientModel):
    """Settings → Xero. Credentials are not kept on this transient record (its table is not
    encrypted): they are read from and written to the company's ``xero.connection``."""

    _inherit = "res.config.settings"

    xero_connection_id = fields.Many2one(related="company_id.xero_connection_id")
    xero_state = fields.Selection(related="company_id.xero_connection_id.state")
    xero_tenant_name = fields.Char(related="company_id.xero_connection_id.tenant_name")
    xero_last_error = fields.Text(related="company_id.xero_connection_id.last_error")
    xero_mapping_todo = fields.Integer(related="company_id.xero_connection_id.xero_mapping_todo")
    xero_unreachable_since = fields.Datetime(related="company_id.xero_connection_id.unreachable_since")
    xero_mapping_status = fields.Char(related="company_id.xero_connection_id.xero_mapping_status")
    xero_auth_type = fields.Selection(lambda self: self.env["xero.connection"]._fields["auth_type"].selection,
                                      string="Connection type", compute="_compute_xero_credentials",
                                      inverse="_inverse_xero_credentials")
    xero_granted_scopes = fields.Char(related="company_id.xero_connection_id.granted_scopes")
    xero_last_refresh = fields.Datetime(related="company_id.xero_connection_id.last_refresh")
    xero_callback_url = fields.Char("Redirect URI", compute="_compute_xero_callback_url")
    xero_client_id = fields.Char("Xero client ID", compute="_compute_xero_credentials",
                                 inverse="_inverse_xero_credentials")
    xero_client_secret = fields.Char("Xero client secret", compute="_compute_xero_credentials",
                                     inverse="_inverse_xero_credentials", groups=ADMIN)
    xero_key_location = fields.Char("Encryption key", compute="_compute_xero_key_location")
    xero_log_retention_days = fields.Integer(
        "Keep sync log (days)", default=90, config_parameter="xero_connector.log_retention_days")
    xero_daily_reserve = fields.Integer(
        "Calls kept for manual actions", default=500, config_parameter="xero_connector.daily_reserve",
        help="Background sync stops this many calls before Xero's daily limit of 5,000, "
             "so buttons like Send to Xero still work late in a busy day.")

    xero_server_url = fields.Char(
        "Xero address", compute="_compute_xero_server_url", inverse="_inverse_xero_server_url",
        help="Leave empty for Xero itself. A sandbox or a proxy standing in for Xero: its address "
             "(e.g. http://127.0.0.1:8899), used for the API, sign-in and consent alike.")

    @api.depends("company_id")
    def _compute_xero_server_url(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        urls = {(get("xero_connector.%s" % key) or "").rstrip("/") for key in URL_KEYS}
        for settings in self:
            settings.xero_server_url = next(iter(urls)) if len(urls) == 1 else False

    def _inverse_xero_server_url(self):
        params = self.env["ir.config_parameter"].sudo()
        current = {(params.get_param("xero_connector.%s" % key) or "").rstrip("/") for key in URL_KEYS}
        for settings in self:
            url = (settings.xero_server_url or "").strip().rstrip("/")
            if len(current) > 1 and not url:
                continue  # three different addresses set by hand (system parameters): kept
            if current == {url}:
                continue
            for key in URL_KEYS:
                params.set_param("xero_connector.%s" % key, url + "/" if url else False)

    @api.depends("company_id")
    def _compute_xero_credentials(self):
        for settings in self:
            connection = settings.company_id.xero_connection_id.sudo()
            settings.xero_auth_type = connection.auth_type or "custom"
            settings.xero_client_id = connection.client_id
            if self.env.user.has_group(ADMIN):
                settings.xero_client_secret = connection.client_secret

    def _inverse_xero_credentials(self):
        for settings in self:
            connection = settings.company_id.xero_connection_id
            values = {"auth_type": settings.xero_auth_type or "custom", "client_id": settings.xero_client_id}
            if self.env.user.has_group(ADMIN):
                values["client_secret"] = settings.xero_client_secret
            if connection:
                changed = {k: v for k, v in values.items() if connection[k] != v}
                if changed:
                    connection.write(changed)
            elif settings.xero_client_id:
                self.env["xero.connection"].create(dict(values, company_id=settings.company_id.id))

    @api.depends("company_id")
    def _compute_xero_callback_url(self):
        for settings in self:
            settings.xero_callback_url = self.env["xero.connection"].new({}).callback_url

    @api.depends("company_id")
    def _compute_xero_key_location(self):
        for settings in self:
            settings.xero_key_location = crypto.key_location()

    def _xero_connection(self):
        self.ensure_one()
        return self.company_id.xero_connection_id

    def action_xero_connect(self):
        return self._xero_connection().action_connect()

    def action_xero_disconnect(self):
        return self._xero_connection().action_disconnect()

    def action_xero_test(self):
        return self._xero_connection().action_test()

    def action_xero_open_mapping(self):
        return self._xero_connection().action_open_mapping()

    def action_xero_open_connection(self):
        connection = self._xero_connection()
        return {"type": "ir.actions.act_window", "res_model": "xero.connection", "view_mode": "form",
                "res_id": connection.id, "target": "current"}
