"""Settings → Xero → Products: which products are items, pause, and who wins a conflict."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

from .res_config_settings_contacts import RULES

SCOPES = [("sold", "Every product that can be sold"), ("flagged", "Only products marked Sync to Xero"),
          ("none", "None")]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_items_scope = fields.Selection(SCOPES, string="Products sent to Xero", default="sold",
                                        config_parameter="xero_connector.items_scope")
    xero_items_paused = fields.Boolean("Pause product sync", related="company_id.xero_connection_id.items_paused",
                                       readonly=False)
    xero_conflict_item_identity = fields.Selection(
        RULES, string="Code, name and descriptions", default="newest",
        config_parameter="xero_connector.conflict_item_identity")
    xero_conflict_item_sales = fields.Selection(
        RULES, string="Sales price, account and tax", default="newest",
        config_parameter="xero_connector.conflict_item_sales")
    xero_conflict_item_purchase = fields.Selection(
        RULES, string="Cost, purchase account and tax", default="newest",
        config_parameter="xero_connector.conflict_item_purchase")

    def set_values(self):
        scope_before = self.env["ir.config_parameter"].sudo().get_param("xero_connector.items_scope") or "sold"
        result = super().set_values()
        if (self.xero_items_scope or "sold") != scope_before:
            # Products already there that the new scope takes in are linked by the next push.
            self.env["xero.sync.state"].sudo().search([("object", "=", "items")]).write({"linked_at": False})
            self.env["xero.sync.state"]._trigger("push")
        return result
