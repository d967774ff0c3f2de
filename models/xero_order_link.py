"""One sale order in one Xero organisation: the invoice (``xero.order.link``) or quote
(``xero.quote.link``) it became there, what Xero alone knows of it (status, amounts paid and
due), and where its sync stands. What every link has is the mixin's; the sync itself is
``sync/orders``."""
from odoo import fields, models

from ..sync.orders import notify
from ..xero.mappers.document import INVOICES, QUOTES

INVOICE_STATUSES = [("DRAFT", "Draft"), ("SUBMITTED", "Awaiting approval"), ("AUTHORISED", "Awaiting payment"),
                    ("PAID", "Paid"), ("VOIDED", "Voided"), ("DELETED", "Deleted")]
QUOTE_STATUSES = [("DRAFT", "Draft"), ("SENT", "Sent"), ("ACCEPTED", "Accepted"), ("DECLINED", "Declined"),
                  ("INVOICED", "Invoiced"), ("DELETED", "Deleted")]


class XeroOrderLink(models.Model):
    _name = "xero.order.link"
    _inherit = "xero.link.mixin"
    _description = "Xero Invoice Link"
    _rec_name = "order_id"
    _xero_object = "invoices"
    _xero_record_field = "order_id"
    _xero_id_field = "xero_invoice_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    xero_invoice_id = fields.Char("Xero InvoiceID", copy=False, index="btree_not_null")
    xero_number = fields.Char("Invoice number in Xero", copy=False)
    xero_status = fields.Selection(INVOICE_STATUSES, "Status in Xero", copy=False, index=True)
    xero_total = fields.Monetary("Total in Xero", copy=False)
    xero_sub_total = fields.Monetary("Subtotal in Xero", copy=False)
    xero_total_tax = fields.Monetary("Tax in Xero", copy=False)
    xero_amount_due = fields.Monetary("Amount due", copy=False)
    xero_amount_paid = fields.Monetary("Amount paid", copy=False)
    xero_amount_credited = fields.Monetary("Amount credited", copy=False)
    xero_due_date = fields.Date("Due date in Xero", copy=False)
    xero_fully_paid_date = fields.Date("Fully paid on", copy=False)
    xero_expected_payment_date = fields.Date("Expected payment", copy=False)
    xero_sent_to_contact = fields.Boolean("Sent to the customer", copy=False)
    xero_online_url = fields.Char("Online invoice", copy=False)
    xero_emailed = fields.Boolean("E-mailed by Xero", copy=False)
    xero_overdue_activity = fields.Boolean(copy=False, help="The overdue follow-up activity was planned once.")

    _sql_constraints = [
        ("order_connection_uniq", "unique(order_id, connection_id)",
         "An order has one invoice link per Xero connection."),
    ]

    def _replaced_statuses(self):
        return INVOICES.replaced

    def _forget_document(self):
        """The invoice was voided or deleted in Xero: the order's next sending creates a new one,
        which owes, is e-mailed and followed up afresh."""
        self.bind(False)
        self.write({"xero_status": False, "xero_number": False, "xero_total": 0.0, "xero_sub_total": 0.0,
                    "xero_total_tax": 0.0, "xero_amount_due": 0.0, "xero_amount_paid": 0.0,
                    "xero_amount_credited": 0.0, "xero_due_date": False, "xero_fully_paid_date": False,
                    "xero_expected_payment_date": False, "xero_sent_to_contact": False, "xero_online_url": False,
                    "xero_emailed": False, "xero_overdue_activity": False})

    def write(self, vals):
        # Paid, owed again, refused: people are told when Xero's facts change (sync/orders/notify.py).
        watched = notify.WATCHED.intersection(vals)
        before = {link.id: notify.snapshot(link) for link in self} if watched else {}
        result = super().write(vals)
        if before:
            notify.changed(self, before)
        if vals.get("xero_invoice_id"):
            # Invoiced in Xero: the order's accepted quote says so next (nobody invoices it twice).
            quotes = self.order_id.sudo().xero_quote_link_ids.filtered(lambda link: link.xero_status == "ACCEPTED")
            if quotes:
                quotes._note_record_changes(quotes.order_id.ids, ["document"])
        return result


class XeroQuoteLink(models.Model):
    _name = "xero.quote.link"
    _inherit = "xero.link.mixin"
    _description = "Xero Quote Link"
    _rec_name = "order_id"
    _xero_object = "quotes"
    _xero_record_field = "order_id"
    _xero_id_field = "xero_quote_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    xero_quote_id = fields.Char("Xero QuoteID", copy=False, index="btree_not_null")
    xero_number = fields.Char("Quote number in Xero", copy=False)
    xero_status = fields.Selection(QUOTE_STATUSES, "Quote status in Xero", copy=False)

    _sql_constraints = [
        ("order_connection_uniq", "unique(order_id, connection_id)",
         "An order has one quote link per Xero connection."),
    ]

    def _replaced_statuses(self):
        return QUOTES.replaced

    def _forget_document(self):
        """The quote was deleted in Xero: the order's next sending creates a new one."""
        self.bind(False)
        self.write({"xero_status": False, "xero_number": False})
