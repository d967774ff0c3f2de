"""What the sync keeps on a connection: per object, a pause switch and the pull's watermark (rows
of ``xero.sync.state``), and what is forgotten when the connection moves to another Xero
organisation.

``contacts_paused``, ``xero_contacts_pulled_at`` and ``contacts_linked_at`` (and ``items_paused``)
show the customers' (products') row on the connection itself, for Settings and for scripts.
"""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..sync.engine import messages, registry

STATE_FIELDS = {  # connection field: (object, field of its xero.sync.state row)
    "contacts_paused": ("contacts", "paused"),
    "xero_contacts_pulled_at": ("contacts", "pulled_at"),
    "contacts_linked_at": ("contacts", "linked_at"),
    "items_paused": ("items", "paused"),
}


class XeroConnection(models.Model):
    _inherit = "xero.connection"

    sync_state_ids = fields.One2many("xero.sync.state", "connection_id", string="Sync by object")
    partner_link_ids = fields.One2many("xero.partner.link", "connection_id", string="Contact links")
    contacts_paused = fields.Boolean(
        "Pause contact sync", compute="_compute_sync_states", inverse="_inverse_contacts_paused",
        help="Contacts are neither sent to nor read from this Xero organisation while paused; changes made "
             "meanwhile are sent when the sync resumes.")
    xero_contacts_pulled_at = fields.Datetime(
        "Contacts read up to", compute="_compute_sync_states", inverse="_inverse_xero_contacts_pulled_at",
        help="Xero's last change date of the contacts already read into Odoo: the next read asks for "
             "contacts changed since then.")
    contacts_linked_at = fields.Datetime(
        "Customers linked at", compute="_compute_sync_states", inverse="_inverse_contacts_linked_at",
        help="When the customers that existed before the connection were given a link to sync.")
    items_paused = fields.Boolean(
        "Pause product sync", compute="_compute_sync_states", inverse="_inverse_items_paused",
        help="Products are neither sent to nor read from this Xero organisation while paused; changes made "
             "meanwhile are sent when the sync resumes.")

    @api.depends("sync_state_ids.paused", "sync_state_ids.pulled_at", "sync_state_ids.linked_at")
    def _compute_sync_states(self):
        for connection in self:
            states = {state.object: state for state in connection.sudo().sync_state_ids}
            for name, (sync_object, field) in STATE_FIELDS.items():
                state = states.get(sync_object)
                connection[name] = state[field] if state else False

    # One inverse per field: a write of one of them must not write the others, which Odoo
    # leaves unread (and empty) while it inverts the one written.
    def _inverse_contacts_paused(self):
        self._write_sync_state("contacts_paused")

    def _inverse_xero_contacts_pulled_at(self):
        self._write_sync_state("xero_contacts_pulled_at")

    def _inverse_contacts_linked_at(self):
        self._write_sync_state("contacts_linked_at")

    def _inverse_items_paused(self):
        self._write_sync_state("items_paused")

    def _write_sync_state(self, name):
        sync_object, field = STATE_FIELDS[name]
        State = self.env["xero.sync.state"].sudo()
        for connection in self.filtered("id"):
            state = State._for(connection, sync_object)
            if state[field] != connection[name]:
                state[field] = connection[name]

    @api.model_create_multi
    def create(self, vals_list):
        connections = super().create(vals_list)
        State = self.env["xero.sync.state"].sudo()
        for connection in connections:
            for sync_type in registry.ordered():
                State._for(connection, sync_type.name)
        return connections

    def _xero_tenant_changed(self, old_tenant_id):
        """Another organisation: its records are not the old one's. Every object's watermark and
        linking start again, and every link forgets its Xero id and fingerprints: it is matched
        again (or created) in the new organisation by the next push."""
        result = super()._xero_tenant_changed(old_tenant_id)
        connection = self.sudo()
        connection.sync_state_ids.write({"pulled_at": False, "linked_at": False})
        for sync_type in registry.ordered():
            links = self.env[sync_type.link_model].sudo().search([("connection_id", "=", connection.id)])
            if sync_type.mirror:
                links.unlink()  # the old organisation's documents: read afresh from the new one
                continue
            if links:
                links.forget_organisation()
                links._trigger_push()
        return result

    def _xero_set_tenant(self, tenant):
        result = super()._xero_set_tenant(tenant)
        self._xero_queue_existing()
        return result

    def _xero_queue_existing(self):
        """Right after Connect: the records that existed before (customers with a confirmed
        order, products in scope) are linked and queued now, and the push starts at once rather
        than at the next scheduled run."""
        self.ensure_one()
        for sync_type in registry.ordered():
            sync = sync_type(self.sudo())
            if not sync.state.paused and not sync.state.linked_at:
                sync.link_existing()
                sync.state.linked_at = sync.now
        if any(self._xero_waiting().values()):
            self.env["xero.sync.state"]._trigger("push")

    def _xero_waiting(self):
        """{object name: records waiting to be sent}, objects not paused."""
        self.ensure_one()
        waiting = {}
        for sync_type in registry.ordered():
            if sync_type.mirror:
                continue  # nothing is sent
            sync = sync_type(self.sudo())
            if not sync.state.paused:
                waiting[sync_type.name] = sync.links.search_count([("connection_id", "=", self.id),
                                                                   ("state", "=", "pending")])
        return waiting

    def action_connect(self):
        action = super().action_connect()
        # A custom connection's Connect succeeded (an OAuth app's ends at Xero's consent page):
        # _xero_set_tenant queued what existed; say how much.
        connected = action.get("params", {}).get("type") == "success" and bool(self.tenant_id)
        if self.auth_type != "oauth" and connected:
            waiting = self._xero_waiting()
            action["params"]["message"] = "%s. %s" % (action["params"]["message"].rstrip("."),
                                                      messages.queued(self.env, waiting))
        return action
