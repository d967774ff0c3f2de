"""One partner in one Xero organisation: which contact it is, and where its sync stands.

A partner shared between companies has one link per company's connection, each with its own
Xero ContactID. What every link has (state, fingerprints, retries, buttons) is the mixin's; a
contact link adds the review of customers Xero may already have.
"""
from odoo import fields, models


class XeroPartnerLink(models.Model):
    _name = "xero.partner.link"
    _inherit = "xero.link.mixin"
    _description = "Xero Contact Link"
    _rec_name = "partner_id"
    _xero_object = "contacts"
    _xero_record_field = "partner_id"
    _xero_id_field = "xero_contact_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    xero_contact_id = fields.Char("Xero ContactID", copy=False, index="btree_not_null")
    xero_archived = fields.Boolean("Archived in Xero", copy=False)
    match_ids = fields.One2many("xero.contact.match", "link_id", string="Possible matches")

    _sql_constraints = [
        ("partner_connection_uniq", "unique(partner_id, connection_id)",
         "A partner has one link per Xero connection."),
        ("contact_connection_uniq", "unique(connection_id, xero_contact_id)",
         "This Xero contact is already linked to another partner."),
    ]

    def _forget_proposals(self):
        self.match_ids.unlink()

    def forget_organisation(self):
        self._forget_proposals()
        return super().forget_organisation()

    def action_review(self):
        self.ensure_one()
        return self.env["xero.contact.match.wizard"]._open_for(self)

    def action_open_partner(self):
        return self.action_open_record()
