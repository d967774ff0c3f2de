"""A Xero item that may already be an Odoo product, with the evidence, until a person decides."""
from odoo import fields, models

from ..sync.engine import push


class XeroItemMatch(models.Model):
    _name = "xero.item.match"
    _description = "Possible Xero Item Match"
    _order = "link_id, sequence, id"
    _rec_name = "xero_name"

    link_id = fields.Many2one("xero.product.link", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(related="link_id.product_id")
    company_id = fields.Many2one(related="link_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    xero_item_id = fields.Char("Xero ItemID", required=True)
    xero_code = fields.Char("Code in Xero")
    xero_name = fields.Char("Name in Xero")
    evidence = fields.Text()

    def action_link(self):
        """Link the product to this item, then merge and send at once."""
        self.ensure_one()
        self.link_id.check_access("write")  # Xero administrators
        link, item_id = self.link_id.sudo(), self.xero_item_id
        link._forget_proposals()
        link.bind(item_id)
        link.mark_pending()
        push.push_links(link, interactive=True)
        return True
