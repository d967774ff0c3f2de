"""A Xero contact that may already be an Odoo customer, with the evidence, until a person decides."""
from odoo import fields, models


class XeroContactMatch(models.Model):
    _name = "xero.contact.match"
    _description = "Possible Xero Contact Match"
    _order = "link_id, sequence, id"
    _rec_name = "xero_name"

    link_id = fields.Many2one("xero.partner.link", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="link_id.partner_id")
    connection_id = fields.Many2one(related="link_id.connection_id")
    company_id = fields.Many2one(related="link_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    xero_contact_id = fields.Char("Xero ContactID", required=True)
    xero_name = fields.Char("Name in Xero")
    xero_email = fields.Char("E-mail in Xero")
    xero_number = fields.Char("Contact number in Xero")
    xero_tax_number = fields.Char("Tax number in Xero")
    rules = fields.Char(help="Matching rules that found it, comma separated.")
    evidence = fields.Text()
