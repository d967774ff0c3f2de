"""Settings → Xero → Orders: who approves, e-mails on approval, the rounding line, overdue
follow-ups. How orders are sent (invoice or quote, status, on confirmation) is the mapping's."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_sales_may_approve = fields.Boolean(
        "Salespeople may approve invoices", config_parameter="xero_connector.sales_may_approve",
        help="Off: only the Xero finance team approves invoices in Xero; salespeople send drafts.")
    xero_email_on_approve = fields.Boolean(
        "E-mail the invoice when approved", config_parameter="xero_connector.email_on_approve",
        help="Xero e-mails the approved invoice to the customer, with the link where they can pay it.")
    xero_rounding_adjustment = fields.Boolean(
        "Add a rounding line when totals differ by cents", config_parameter="xero_connector.rounding_adjustment",
        help="Xero rounds tax on each line. When that makes Xero's total differ from the order's by a few cents, "
             "a line on the organisation's rounding account makes both the same.")
    xero_overdue_days = fields.Integer(
        "Follow up overdue invoices after (days)", config_parameter="xero_connector.overdue_days", default=1,
        help="The salesperson gets one to-do to follow up an invoice still owed this many days after its due date.")
