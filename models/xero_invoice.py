"""The receivables mirror: each customer's Xero sales invoices and credit notes, including those
made in Xero, read (never written) by ``sync/receivables``. For the Xero finance group only:
the model's access rights, and a record rule per company."""
from odoo import api, fields, models

from ..xero import links as xero_links

KINDS = [("invoice", "Invoice"), ("credit_note", "Credit note")]
STATUSES = [("DRAFT", "Draft"), ("SUBMITTED", "Awaiting approval"), ("AUTHORISED", "Awaiting payment"),
            ("PAID", "Paid"), ("VOIDED", "Voided"), ("DELETED", "Deleted")]


class XeroInvoice(models.Model):
    _name = "xero.invoice"
    _description = "Xero sales invoice or credit note"
    _order = "date desc, id desc"
    _rec_name = "number"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", "Customer", index=True, ondelete="set null",
                                 help="The commercial entity linked to the Xero contact.")
    xero_contact_id = fields.Char("Xero ContactID", index=True)
    xero_invoice_id = fields.Char("Xero id", required=True, index=True)
    kind = fields.Selection(KINDS, required=True, default="invoice")
    number = fields.Char()
    reference = fields.Char()
    status = fields.Selection(STATUSES, index=True)
    currency_id = fields.Many2one("res.currency")
    currency_rate = fields.Float(digits=(12, 6), help="Xero's rate: units of this currency per unit of the "
                                                     "organisation's base currency.")
    base_currency_id = fields.Many2one("res.currency", "Base currency",
                                       help="The Xero organisation's base currency, which the owed and received "
                                            "amounts are in.")
    total = fields.Monetary()
    amount_due = fields.Monetary("Amount due", help="For a credit note: the credit it still holds.")
    amount_paid = fields.Monetary("Amount paid")
    amount_credited = fields.Monetary("Amount credited")
    # In the organisation's base currency (Xero's rate), signed: credit notes count against.
    balance = fields.Monetary("Owed", currency_field="base_currency_id")
    paid_base = fields.Monetary("Received", currency_field="base_currency_id")
    date = fields.Date(index=True)
    due_date = fields.Date("Due", index=True)
    fully_paid_date = fields.Date("Fully paid on")
    expected_payment_date = fields.Date("Expected payment")
    last_payment_date = fields.Date("Last payment")
    payment_count = fields.Integer("Payments")
    payments = fields.Text("Payments received", help="Each payment's date and amount, as Xero lists them.")
    days_to_pay = fields.Integer(help="Days from the invoice date to its full payment.")
    order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="set null")
    xero_updated = fields.Datetime("Changed in Xero")
    xero_url = fields.Char("Open in Xero", compute="_compute_xero_url")

    _sql_constraints = [("document_connection_uniq", "unique(connection_id, kind, xero_invoice_id)",
                         "A Xero document is kept once per connection.")]

    @api.depends("xero_invoice_id", "kind")
    def _compute_xero_url(self):
        for document in self:
            code = document.connection_id.sudo()._xero_short_code()  # (Xero's settings: administrators')
            document.xero_url = (xero_links.invoice(code, document.xero_invoice_id)
                                 if document.kind == "invoice" else None) or False
