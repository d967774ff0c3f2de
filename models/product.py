"""Products as Xero items: which ones sync, and noticing when a synced field changes.

Which products: ``xero_connector.items_scope`` (see ``sync/items``). A change to a synced field of
a variant or of its template marks the variants' links pending. Changes written by the pull carry
the ``xero_pull`` context (the id of the connection they come from): they mark the product's
links with other connections only.
"""
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sync.items import scope
from ..sync.items.values import touched_groups
from ..tools import bulk
from .xero_link_mixin import STATES

XERO_USER = "xero_connector.group_xero_user"


class ProductTemplate(models.Model):
    _inherit = "product.template"

    xero_sync = fields.Boolean(
        "Sync to Xero", copy=False,
        help="Send this product to Xero as an item when only marked products are synced (Settings → Xero).")
    xero_link_ids = fields.One2many("xero.product.link", compute="_compute_xero_link_ids", string="Xero items",
                                    groups=XERO_USER)

    @api.model
    def default_get(self, fields_list):
        return bulk.default_get(self, fields_list, super().default_get)  # once a page in the pull

    def _compute_xero_link_ids(self):
        links = self.env["xero.product.link"].search([("product_id.product_tmpl_id", "in", self.ids)])
        for template in self:
            template.xero_link_ids = links.filtered(lambda link: link.product_id.product_tmpl_id == template)

    def action_xero_resync(self):
        return self.with_context(active_test=False).product_variant_ids.action_xero_resync()

    def write(self, vals):
        result = super().write(vals)
        pulled = self.env.context.get("xero_pull")
        if pulled is not True:
            variants = self.with_context(active_test=False).product_variant_ids
            if not pulled and ({"sale_ok", "xero_sync", "active"} & set(vals)):
                variants._xero_link_in_scope()
            variants._xero_mark_pending(touched_groups(vals))
        return result


class ProductProduct(models.Model):
    _inherit = "product.product"

    xero_link_ids = fields.One2many("xero.product.link", "product_id", string="Xero links", groups=XERO_USER)
    xero_item_id = fields.Char("Xero ItemID", compute="_compute_xero_link", search="_search_xero_item_id",
                               help="The Xero item of this product in the current company's Xero organisation.")
    xero_sync_state = fields.Selection(STATES, string="Xero sync", compute="_compute_xero_link")
    xero_sync_error = fields.Text("Xero error", compute="_compute_xero_link")
    xero_tracked = fields.Boolean("Stock tracked in Xero", compute="_compute_xero_link")
    xero_quantity_on_hand = fields.Float("Quantity on hand in Xero", compute="_compute_xero_link",
                                         digits="Product Unit of Measure")

    @api.model
    def default_get(self, fields_list):
        return bulk.default_get(self, fields_list, super().default_get)  # once a page in the pull

    @api.depends_context("company")
    def _compute_xero_link(self):
        links = self.env["xero.product.link"]._current_links(self)
        for product in self:
            link = links.get(product.id)
            product.xero_item_id = link.xero_item_id if link else False
            product.xero_sync_state = link.state if link else False
            product.xero_sync_error = link.error if link else False
            product.xero_tracked = link.xero_tracked if link else False
            product.xero_quantity_on_hand = link.xero_quantity_on_hand if link else 0.0

    def _search_xero_item_id(self, operator, value):
        return self.env["xero.product.link"]._search_current(operator, value)

    def action_xero_resync(self):
        """Send these products to the Xero organisations of the user's companies now."""
        if not self.env.user.has_group(XERO_USER):
            raise AccessError(self.env._("Only Xero users may send products to Xero."))
        connections = self.env["xero.connection"].sudo().search([("company_id", "in", self.env.companies.ids)])
        self.sudo()._xero_ensure_links(connections)
        links = self.env["xero.product.link"].search([("product_id", "in", self.ids),
                                                      ("connection_id", "in", connections.ids)])
        return links.action_resync()

    # -- which products sync ------------------------------------------------------------------
    def _xero_ensure_links(self, connections=None):
        """Links (pending) for these variants with ``connections`` (default: every connection of
        a company that may use them), whatever the scope. Returns the links created."""
        return self.env["xero.product.link"].sudo()._ensure_links(self.sudo(), connections)

    def _xero_link_in_scope(self):
        mode = scope(self.env)
        products = self.filtered(lambda p: p.active and (p.sale_ok if mode == "sold" else p.xero_sync))
        if mode != "none" and products:
            products._xero_ensure_links()

    # -- noticing changes ---------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        if not self.env.context.get("xero_pull"):
            products._xero_link_in_scope()
        return products

    def write(self, vals):
        result = super().write(vals)
        pulled = self.env.context.get("xero_pull")
        if pulled is not True:
            if not pulled and "active" in vals:
                self._xero_link_in_scope()
            self._xero_mark_pending(touched_groups(vals))
        return result

    def _xero_mark_pending(self, groups):
        """Odoo changed ``groups`` of these variants (see the link mixin's ``_note_record_changes``)."""
        self.env["xero.product.link"].sudo()._note_record_changes(self.ids, groups)
