"""One partner in one Xero organisation: which contact it is, and where its sync stands.

A partner shared between companies has one link per company's connection, each with its own
Xero ContactID. The link also keeps what the two sides looked like at the last exchange
(fingerprints per field group) so that only real changes travel, and nothing bounces back.
The sync itself lives in ``sync/``; this model is the state and the buttons.
"""
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sync import contact_pull, contact_push

_logger = logging.getLogger(__name__)

STATES = [("not_synced", "Not synced"), ("pending", "Pending"), ("synced", "Synced"), ("error", "Error")]
INTERACTIVE_LIMIT = 50  # more links than this are left to the scheduled action
PULL_PAGES = 20  # pages of 1,000 contacts per run of the pull


class XeroPartnerLink(models.Model):
    _name = "xero.partner.link"
    _description = "Xero Contact Link"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    xero_contact_id = fields.Char("Xero ContactID", copy=False, index="btree_not_null")
    state = fields.Selection(STATES, required=True, default="pending", index=True, copy=False)
    last_sync = fields.Datetime("Last sync", copy=False)
    error = fields.Text(copy=False)
    needs_review = fields.Boolean("Needs review", copy=False, index=True,
                                  help="Xero may already have this customer: an administrator decides.")
    create_new = fields.Boolean("Create without matching", copy=False,
                                help="An administrator chose to create a new Xero contact for this partner.")
    match_ids = fields.One2many("xero.contact.match", "link_id", string="Possible matches")
    xero_updated = fields.Datetime("Changed in Xero", copy=False, help="Xero's UpdatedDateUTC last seen.")
    # Per field group (identity, addresses, phones, terms, status): when Odoo last changed it,
    # and the fingerprints of both sides at the last exchange (see xero/merge.py).
    odoo_changed = fields.Json(copy=False)
    odoo_hashes = fields.Json(copy=False)
    xero_hashes = fields.Json(copy=False)

    _sql_constraints = [
        ("partner_connection_uniq", "unique(partner_id, connection_id)",
         "A partner has one link per Xero connection."),
        ("contact_connection_uniq", "unique(connection_id, xero_contact_id)",
         "This Xero contact is already linked to another partner."),
    ]

    @api.depends("partner_id", "connection_id")
    def _compute_display_name(self):
        for link in self:
            link.display_name = "%s → %s" % (link.partner_id.display_name or "", link.connection_id.display_name or "")

    # -- buttons ------------------------------------------------------------------------------
    def action_resync(self):
        """Send the partner again: every field group counts as changed in Odoo, and matching runs
        again if the link has no contact yet. Small selections are sent at once."""
        if not self.env.user.has_group("xero_connector.group_xero_user"):
            raise AccessError(self.env._("Only Xero users may send customers to Xero."))
        self.check_access("read")  # their own companies' links only
        links = self.sudo()
        links.match_ids.unlink()
        links.write({"state": "pending", "error": False, "needs_review": False, "odoo_hashes": False})
        if len(links) > INTERACTIVE_LIMIT:
            self._trigger_push()
            return True
        for connection, group in links.grouped("connection_id").items():
            if connection.state == "connected":
                contact_push.push_links(group, interactive=True)
        return True

    def action_review(self):
        self.ensure_one()
        return self.env["xero.contact.match.wizard"]._open_for(self)

    def action_open_partner(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "res_id": self.partner_id.id,
                "view_mode": "form"}

    # -- scheduled actions --------------------------------------------------------------------
    def _note_odoo_change(self, times):
        """Odoo changed field groups at these times ({group: "YYYY-MM-DD HH:MM:SS"}): the links go
        pending and keep the newest time of each group (for "newest wins")."""
        for link in self:
            changed = dict(link.odoo_changed or {})
            for group, when in times.items():
                changed[group] = max(changed.get(group, when), when)
            vals = {"odoo_changed": changed}
            if link.state != "pending":
                # An error or a pending review is tried again with the new values.
                vals.update(state="pending", error=False, needs_review=False)
            link.write(vals)

    def _trigger_push(self, at=None):
        cron = self.env.ref("xero_connector.ir_cron_xero_contacts_push", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    @api.model
    def _cron_push_contacts(self):
        """Push a batch of pending links per connected, unpaused connection; call again while
        work remains (the cron runner re-runs a job that reports remaining work)."""
        done = remaining = 0
        retry_at = None
        for connection in self.env["xero.connection"].sudo()._xero_contact_connections():
            result = contact_push.push_pending(connection)
            done += result.done
            if result.retry_at:
                # Quota spent or Xero down: this connection's work waits for retry_at.
                retry_at = min(retry_at or result.retry_at, result.retry_at)
            elif not result.refused:  # a refused connection waits for an administrator
                remaining += result.remaining
        # Only work that can go on now makes the cron runner call again at once.
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining if done else 0)
        if remaining and done:
            self._trigger_push()
        if retry_at:
            self._trigger_push(retry_at)
        return done

    @api.model
    def _cron_pull_contacts(self):
        """Read what changed in Xero, a bounded number of pages per run (each committed); the
        cron runner calls again while some connection had more."""
        done = more = 0
        for connection in self.env["xero.connection"].sudo()._xero_contact_connections():
            read, left = contact_pull.pull(connection, max_pages=PULL_PAGES)
            done += read
            more += left
        self.env["ir.cron"]._notify_progress(done=done, remaining=more if done else 0)
        if more and done:
            self.env.ref("xero_connector.ir_cron_xero_contacts_pull").sudo()._trigger()
        return done

    def unlink(self):
        if any(link.xero_contact_id for link in self) and not self.env.user.has_group(
                "xero_connector.group_xero_admin"):
            raise UserError(self.env._("Only a Xero administrator may remove a link to a Xero contact."))
        return super().unlink()
