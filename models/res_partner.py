"""Partners as Xero contacts: which ones sync, and noticing when a synced field changes.

A customer syncs once it has a confirmed sale order or "Sync to Xero" is ticked. What syncs is
the commercial entity: a change on one of its people or its invoice address marks the entity's
links pending. Changes written by the pull carry the ``xero_pull`` context (the id of the connection
they come from): they mark the partner's links with other connections only.
"""
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sync.partner_values import CHILD_FIELDS, PARTNER_GROUPS, touched_groups
from .xero_partner_link import STATES

XERO_USER = "xero_connector.group_xero_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    xero_sync = fields.Boolean(
        "Sync to Xero", copy=False,
        help="Send this customer to Xero even before it has a confirmed sale order. Its contacts sync "
             "through it.")
    xero_link_ids = fields.One2many("xero.partner.link", "partner_id", string="Xero links", groups=XERO_USER)
    xero_contact_id = fields.Char(
        "Xero ContactID", compute="_compute_xero_link", search="_search_xero_contact_id",
        help="The Xero contact of this customer in the current company's Xero organisation.")
    xero_sync_state = fields.Selection(STATES, string="Xero sync", compute="_compute_xero_link")
    xero_sync_error = fields.Text("Xero error", compute="_compute_xero_link")

    # -- current company's link ---------------------------------------------------------------
    def _xero_current_links(self):
        """{commercial partner id: link} for the current company's connection."""
        connection = self.env.company.sudo().xero_connection_id
        if not connection:
            return {}
        links = self.env["xero.partner.link"].sudo().search([
            ("partner_id", "in", self.commercial_partner_id.ids), ("connection_id", "=", connection.id)])
        return {link.partner_id.id: link for link in links}

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_xero_link(self):
        links = self._xero_current_links()
        for partner in self:
            link = links.get(partner.commercial_partner_id.id)
            partner.xero_contact_id = link.xero_contact_id if link else False
            partner.xero_sync_state = link.state if link else False
            partner.xero_sync_error = link.error if link else False

    def _search_xero_contact_id(self, operator, value):
        links = self.env["xero.partner.link"].sudo()._search([
            ("company_id", "=", self.env.company.id), ("xero_contact_id", operator, value)])
        return [("id", "in", links.subselect("partner_id"))]

    def action_xero_resync(self):
        self.ensure_one()
        if not self.env.user.has_group(XERO_USER):
            raise AccessError(self.env._("Only Xero users may send customers to Xero."))
        partner = self.commercial_partner_id
        partner.sudo()._xero_ensure_links()
        links = self.env["xero.partner.link"].search([("partner_id", "=", partner.id)])
        return links.action_resync()

    # -- which partners sync ------------------------------------------------------------------
    def _xero_ensure_links(self, connections=None):
        """Links (pending) for these commercial partners with ``connections``, by default every
        connection of a company that may use the partner. Returns the links created."""
        partners = self.sudo().commercial_partner_id
        if not partners:
            return self.env["xero.partner.link"]
        Link = self.env["xero.partner.link"].sudo()
        if connections is None:
            connections = self.env["xero.connection"].sudo().search([])
        existing = set(Link.search([("partner_id", "in", partners.ids),
                                    ("connection_id", "in", connections.ids)]).mapped(
            lambda l: (l.partner_id.id, l.connection_id.id)))
        vals = [{"partner_id": p.id, "connection_id": c.id, "state": "pending"}
                for p in partners for c in connections
                if (p.id, c.id) not in existing and (not p.company_id or p.company_id == c.company_id)]
        links = Link.create(vals) if vals else Link
        if links:
            links._trigger_push()
        return links

    @api.model
    def _xero_link_customers(self, connection):
        """Once per connection: links for the customers that existed before it was connected
        (ticked partners, partners with a confirmed order in its company)."""
        if connection.contacts_linked_at:
            return
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT DISTINCT p.commercial_partner_id FROM res_partner p
             WHERE p.xero_sync AND p.commercial_partner_id IS NOT NULL
            UNION
            SELECT DISTINCT p.commercial_partner_id FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %s AND p.commercial_partner_id IS NOT NULL
        """, (connection.company_id.id,))
        partners = self.sudo().browse([row[0] for row in self.env.cr.fetchall()]).filtered("active")
        partners._xero_ensure_links(connection)
        connection.contacts_linked_at = fields.Datetime.now()

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
        """Odoo changed ``groups`` of these commercial partners: their links go pending and
        remember when (for "newest wins"). Values pulled from a connection (``xero_pull``: its
        id) mark the links with the other connections only; ``xero_pull=True`` marks none."""
        pulled = self.env.context.get("xero_pull")
        if not self or not groups or pulled is True:
            return
        Link = self.env["xero.partner.link"].sudo()
        Link.flush_model(["partner_id", "connection_id"])
        # Links a push holds (locked for its Xero calls) are not waited for: the change is queued
        # on them and the next run applies it (see xero.partner.change).
        self.env.cr.execute("""
            WITH free AS (SELECT id FROM xero_partner_link
                           WHERE partner_id IN %(partners)s AND connection_id != %(pulled)s
                             FOR NO KEY UPDATE SKIP LOCKED)
            SELECT l.id, free.id IS NOT NULL FROM xero_partner_link l LEFT JOIN free ON free.id = l.id
             WHERE l.partner_id IN %(partners)s AND l.connection_id != %(pulled)s
        """, {"partners": tuple(self.ids), "pulled": pulled or 0})
        rows = self.env.cr.fetchall()
        links = Link.browse([link_id for link_id, free in rows if free])
        held = Link.browse([link_id for link_id, free in rows if not free])
        now = fields.Datetime.to_string(fields.Datetime.now())
        if held:
            self.env["xero.partner.change"].sudo().create([
                {"link_id": link.id, "groups": sorted(groups), "changed_at": now} for link in held])
            held._trigger_push()
        if not links:
            return
        woke = links.filtered(lambda l: l.state != "pending")
        links._note_odoo_change({group: now for group in groups})
        if woke:
            woke._trigger_push()
