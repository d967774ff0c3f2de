"""What the contact sync keeps on a connection: the pause switch and the pull watermark."""
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
