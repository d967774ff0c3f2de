"""Settings → Xero → Receivables: how much history is read, and credit control."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

CREDIT_MODES = [("off", "Off"), ("warn", "Warn"), ("block", "Block until finance approves")]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_history_years = fields.Integer(
        "Years of invoices to read", config_parameter="xero_connector.history_years", default=3,
        help="On the first read, the customers' Xero invoices and credit notes of these last years come to Odoo.")
    xero_credit_control = fields.Selection(
        CREDIT_MODES, string="Credit control", config_parameter="xero_connector.credit_control", default="warn",
        help="Confirming an order for a customer past due in Xero beyond the limits.")
    xero_credit_limit_overdue = fields.Float(
        "Overdue amount allowed", config_parameter="xero_connector.credit_limit_overdue",
        help="In the organisation's currency. 0 with no days either: any overdue amount counts.")
    xero_credit_limit_days = fields.Integer(
        "Days past due allowed", config_parameter="xero_connector.credit_limit_days",
        help="0: days are not counted.")
