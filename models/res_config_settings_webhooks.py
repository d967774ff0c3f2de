"""Settings → Xero → Webhooks: the address to give Xero and the key it signs with."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from .xero_connection import ADMIN


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_webhook_url = fields.Char(related="company_id.xero_connection_id.webhook_url", groups=ADMIN)
    xero_webhook_last_event_at = fields.Datetime(related="company_id.xero_connection_id.webhook_last_event_at")
    xero_webhook_key = fields.Char("Webhook key", compute="_compute_xero_webhook_key",
                                   inverse="_inverse_xero_webhook_key", groups=ADMIN)

    @api.depends("company_id")
    def _compute_xero_webhook_key(self):
        for settings in self:
            settings.xero_webhook_key = settings.company_id.xero_connection_id.sudo().webhook_key

    def _inverse_xero_webhook_key(self):
        for settings in self:
            connection = settings.company_id.xero_connection_id.sudo()
            if connection and (connection.webhook_key or False) != (settings.xero_webhook_key or False):
                connection.webhook_key = settings.xero_webhook_key
