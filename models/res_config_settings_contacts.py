"""Settings → Xero → Contacts: pause, and who wins a conflict for each field group."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

RULES = [("newest", "Newest change wins"), ("odoo", "Odoo wins"), ("xero", "Xero wins")]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_contacts_paused = fields.Boolean(
        "Pause contact sync", related="company_id.xero_connection_id.contacts_paused", readonly=False)
    xero_conflict_identity = fields.Selection(
        RULES, string="Name, e-mail and people", default="newest", config_parameter="xero_connector.conflict_identity")
    xero_conflict_addresses = fields.Selection(
        RULES, string="Addresses", default="newest", config_parameter="xero_connector.conflict_addresses")
    xero_conflict_phones = fields.Selection(
        RULES, string="Phones", default="newest", config_parameter="xero_connector.conflict_phones")
    xero_conflict_terms = fields.Selection(
        RULES, string="Tax number, currency and payment terms", default="newest",
        config_parameter="xero_connector.conflict_terms")
