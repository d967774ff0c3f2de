"""Settings → Xero: how many records of the company's organisation are in error, and the way to
the error log."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_sync_error_count = fields.Integer("Records in error", compute="_compute_xero_sync_error_count")

    @api.depends("company_id")
    def _compute_xero_sync_error_count(self):
        for settings in self:
            connection = settings.company_id.xero_connection_id
            counts = self.env["xero.sync.error"]._xero_error_counts(connection) if connection else {}
            settings.xero_sync_error_count = sum(counts.values())

    def action_xero_open_sync_errors(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("xero_connector.xero_sync_error_action")
        connection = self.company_id.xero_connection_id
        if connection:
            action["domain"] = [("connection_id", "=", connection.id)]
        return action
