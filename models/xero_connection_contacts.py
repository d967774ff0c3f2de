"""What the contact sync keeps on a connection: the pause switch and the pull watermark, and what
is forgotten when the connection moves to another Xero organisation."""
from odoo import fields, models


class XeroConnection(models.Model):
    _inherit = "xero.connection"

    contacts_paused = fields.Boolean(
        "Pause contact sync", tracking=True,
        help="Contacts are neither sent to nor read from this Xero organisation while paused; changes made "
             "meanwhile are sent when the sync resumes.")
    xero_contacts_pulled_at = fields.Datetime(
        "Contacts read up to", copy=False,
        help="Xero's last change date of the contacts already read into Odoo: the next read asks for "
             "contacts changed since then.")
    contacts_linked_at = fields.Datetime(
        "Customers linked at", copy=False,
        help="When the customers that existed before the connection were given a link to sync.")
    partner_link_ids = fields.One2many("xero.partner.link", "connection_id", string="Contact links")

    def _xero_contact_connections(self):
        """Connections whose contacts sync now: connected and not paused."""
        return self.search([("contacts_paused", "=", False), ("state", "=", "connected")])

    def _xero_tenant_changed(self, old_tenant_id):
        """Another organisation: its contacts are not the old one's. The watermark and the
        customers' linking start again, and every link forgets its ContactID and fingerprints:
        it is matched again (or created) in the new organisation by the next push."""
        super()._xero_tenant_changed(old_tenant_id)
        connection = self.sudo()
        connection.write({"xero_contacts_pulled_at": False, "contacts_linked_at": False})
        links = connection.partner_link_ids
        if links:
            links.match_ids.unlink()
            links.write({"xero_contact_id": False, "odoo_hashes": False, "xero_hashes": False,
                         "xero_updated": False, "last_sync": False, "error": False,
                         "needs_review": False, "create_new": False, "state": "pending"})
            links._trigger_push()
