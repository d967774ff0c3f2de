"""Receivables on the customer: what they owe in Xero, what is overdue, the ageing, how they pay.
Amounts are for the Xero finance group only (``groups``: not in views, exports or RPC for anyone
else); every salesperson sees the *Overdue in Xero* badge, without amounts."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..sync.receivables import figures

FINANCE = "xero_connector.group_xero_finance"


def _figure(field_class, string, **kw):
    return field_class(string=string, compute="_compute_xero_receivables", groups=FINANCE, **kw)


class ResPartner(models.Model):
    _inherit = "res.partner"

    xero_outstanding = _figure(fields.Monetary, "Owed in Xero", currency_field="xero_currency_id")
    xero_overdue = _figure(fields.Monetary, "Overdue amount", currency_field="xero_currency_id")
    xero_overdue_days = _figure(fields.Integer, "Days overdue", help="How far past its due date the oldest unpaid "
                                                                     "invoice is.")
    xero_last_payment_date = _figure(fields.Date, "Last payment")
    xero_avg_days_to_pay = _figure(fields.Float, "Average days to pay", digits=(16, 1))
    xero_lifetime_paid = _figure(fields.Monetary, "Paid to date", currency_field="xero_currency_id")
    xero_ageing_current = _figure(fields.Monetary, "Not yet due", currency_field="xero_currency_id")
    xero_ageing_1_30 = _figure(fields.Monetary, "1-30 days", currency_field="xero_currency_id")
    xero_ageing_31_60 = _figure(fields.Monetary, "31-60 days", currency_field="xero_currency_id")
    xero_ageing_61_90 = _figure(fields.Monetary, "61-90 days", currency_field="xero_currency_id")
    xero_ageing_90_plus = _figure(fields.Monetary, "Over 90 days", currency_field="xero_currency_id")
    xero_invoice_count = _figure(fields.Integer, "Xero documents")
    xero_currency_id = fields.Many2one("res.currency", compute="_compute_xero_receivables", groups=FINANCE)
    xero_overdue_flag = fields.Boolean(
        "Overdue in Xero", compute="_compute_xero_overdue_flag", groups="base.group_user",
        help="An invoice of this customer is past due in Xero.")

    @api.depends_context("company")
    def _compute_xero_receivables(self):
        company = self.env.company
        found = figures.of_partners(self.env, self.commercial_partner_id.ids, company)
        currencies = {values.pop("currency_id") for values in found.values()} - {None}
        # Read from the documents themselves; looked up only for customers with none.
        currency = self.env["res.currency"].browse(currencies.pop()) if len(currencies) == 1 \
            else figures.base_currency(company)
        for partner in self:
            values = found.get(partner.commercial_partner_id.id, figures.EMPTY)
            for key, value in values.items():
                partner["xero_" + key] = value
            partner.xero_currency_id = currency

    @api.depends_context("company")
    def _compute_xero_overdue_flag(self):
        # No amount leaves here: the badge is for every salesperson.
        overdue = figures.overdue_partners(self.env, self.commercial_partner_id.ids, self.env.company)
        for partner in self:
            partner.xero_overdue_flag = partner.commercial_partner_id.id in overdue

    def action_xero_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("xero_connector.xero_invoice_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_owing": 1}
        return action
