"""One product variant in one Xero organisation: which item it is, Xero's stock of it, and where
its sync stands. What every link has (state, fingerprints, retries, buttons) is the mixin's."""
from odoo import fields, models

from ..sync.engine import push


class XeroProductLink(models.Model):
    _name = "xero.product.link"
    _inherit = "xero.link.mixin"
    _description = "Xero Item Link"
    _rec_name = "product_id"
    _xero_object = "items"
    _xero_record_field = "product_id"
    _xero_id_field = "xero_item_id"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    xero_item_id = fields.Char("Xero ItemID", copy=False, index="btree_not_null")
    xero_code = fields.Char("Code in Xero", copy=False)
    xero_tracked = fields.Boolean("Stock tracked in Xero", copy=False)
    xero_quantity_on_hand = fields.Float("Quantity on hand in Xero", digits="Product Unit of Measure", copy=False)
    match_ids = fields.One2many("xero.item.match", "link_id", string="Possible matches")

    _sql_constraints = [
        ("product_connection_uniq", "unique(product_id, connection_id)",
         "A product has one link per Xero connection."),
        ("item_connection_uniq", "unique(connection_id, xero_item_id)",
         "This Xero item is already linked to another product."),
    ]

    def _forget_proposals(self):
        self.match_ids.unlink()

    def forget_organisation(self):
        self._forget_proposals()
        result = super().forget_organisation()
        self.write({"xero_code": False, "xero_tracked": False, "xero_quantity_on_hand": 0.0})
        return result

    def action_create_new(self):
        """Create a new Xero item for the product instead of linking one of the proposals."""
        self.check_access("write")  # Xero administrators
        links = self.sudo()
        links._forget_proposals()
        links.bind(False)
        links.mark_pending({"create_new": True})
        push.push_links(links, interactive=True)
        return True
