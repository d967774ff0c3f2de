"""Partners as Xero contacts: which ones sync, and noticing when a synced field changes.

A customer syncs once it has a confirmed sale order or "Sync to Xero" is ticked. What syncs is
the commercial entity: a change on one of its people or its invoice address marks the entity's
links pending. Changes written by the pull carry the ``xero_pull`` context (the id of the connection
they come from): they mark the partner's links with other connections only.
"""
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sync.contacts.values import CHILD_FIELDS, PARTNER_GROUPS, touched_groups
from ..tools import bulk
from ..xero import links as xero_links
from .xero_link_mixin import STATES

XERO_USER = "xero_connector.group_xero_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    xero_sync = fields.Boolean(
        "Send to Xero before any order", copy=False,
        help="Customers go to Xero with their first confirmed sale order; tick this to send this one now. "
             "Its contacts go with it.")
    xero_link_ids = fields.One2many("xero.partner.link", "partner_id", string="Xero links", groups=XERO_USER)
    xero_contact_id = fields.Char(
        "Xero ContactID", compute="_compute_xero_link", search="_search_xero_contact_id",
        help="The Xero contact of this customer in the current company's Xero organisation.")
    xero_sync_state = fields.Selection(STATES, string="Xero sync", compute="_compute_xero_link")
    xero_sync_error = fields.Text("Xero error", compute="_compute_xero_link")
    xero_url = fields.Char("Open in Xero", compute="_compute_xero_link",
                           help="The contact in Xero's web app, for people who may open it there.")
    xero_connected = fields.Boolean(compute="_compute_xero_connected")
    xero_next_retry = fields.Datetime("Next try", compute="_compute_xero_link",
                                      help="When the sync tries again by itself.")
    xero_needs_review = fields.Boolean(compute="_compute_xero_link")

    @api.model
    def default_get(self, fields_list):
        return bulk.default_get(self, fields_list, super().default_get)  # once a page in the pull

    # -- current company's link ---------------------------------------------------------------
    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_xero_link(self):
        links = self.env["xero.partner.link"]._current_links(self.commercial_partner_id)
        for partner in self:
            link = links.get(partner.commercial_partner_id.id)
            partner.xero_contact_id = link.xero_contact_id if link else False
            partner.xero_sync_state = link.state if link else False
            partner.xero_sync_error = link.error if link else False
            partner.xero_next_retry = link.next_retry if link else False
            partner.xero_needs_review = bool(link.needs_review) if link else False
            partner.xero_url = xero_links.contact(link.connection_id.sudo()._xero_short_code(),
                                                  link.xero_contact_id) if link else False

    @api.depends_context("company")
    def _compute_xero_connected(self):
        # An organisation is chosen (an expired or refused grant shows on the status, not here).
        connected = bool(self.env.company.sudo().xero_connection_id.tenant_id)
        for partner in self:
            partner.xero_connected = connected

    def _search_xero_contact_id(self, operator, value):
        return self.env["xero.partner.link"]._search_current(operator, value)

    def action_xero_review(self):
        """The current company's link waiting for a matching decision: open its review."""
        self.ensure_one()
        link = self.env["xero.partner.link"]._current_links(self.commercial_partner_id).get(
            self.commercial_partner_id.id)
        return link.action_review() if link else False

    def action_xero_resync(self):
        self.ensure_one()
        if not self.env.user.has_group(XERO_USER):
            raise AccessError(self.env._("Only Xero users may send customers to Xero."))
        partner = self.commercial_partner_id
        connections = self.env["xero.connection"].sudo().search([("company_id", "in", self.env.companies.ids)])
        partner.sudo()._xero_ensure_links(connections)
        links = self.env["xero.partner.link"].search([("partner_id", "=", partner.id),
                                                      ("connection_id", "in", connections.ids)])
        return links.action_resync()

    # -- which partners sync ------------------------------------------------------------------
    def _xero_ensure_links(self, connections=None):
        """Links (pending) for these commercial partners with ``connections``, by default every
        connection of a company that may use the partner. Returns the links created."""
        partners = self.sudo().commercial_partner_id
        return self.env["xero.partner.link"].sudo()._ensure_links(partners, connections)

    # -- noticing changes ---------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if self.env.context.get("xero_pull") is not True:
            if not self.env.context.get("xero_pull"):
                partners.filtered("xero_sync")._xero_ensure_links()
            children = partners.filtered(lambda p: p.parent_id and p.commercial_partner_id != p)
            children.commercial_partner_id._xero_mark_pending({"identity", "addresses"})
        return partners

    def write(self, vals):
        pulled = self.env.context.get("xero_pull")
        watched = pulled is not True and (set(vals) & (set(PARTNER_GROUPS) | CHILD_FIELDS | {"xero_sync"}))
        before = self.filtered("parent_id").commercial_partner_id if watched and "parent_id" in vals else None
        result = super().write(vals)
        if not watched:
            return result
        if vals.get("xero_sync") and not pulled:
            self._xero_ensure_links()
        entities = self.filtered(lambda p: p.commercial_partner_id == p)
        entities._xero_mark_pending(touched_groups(vals))
        children = self - entities
        if children:
            children.commercial_partner_id._xero_mark_pending(touched_groups(vals, child=True))
        if before:
            before._xero_mark_pending({"identity", "addresses"})
        return result

    def unlink(self):
        entities = self.filtered(lambda p: p.parent_id and p.commercial_partner_id != p).commercial_partner_id
        result = super().unlink()
        entities.exists()._xero_mark_pending({"identity", "addresses"})
        return result

    def _xero_mark_pending(self, groups):
        """Odoo changed ``groups`` of these commercial partners (see the link mixin's
        ``_note_record_changes``)."""
        self.env["xero.partner.link"].sudo()._note_record_changes(self.ids, groups)
