"""Sale orders and Xero: Send to Xero, Approve in Xero, Void, and the order's Xero status, amounts
and online invoice shown on the order (kept by its links, brought back by the pull). The rules
are ``sync/orders``; this is the glue."""
from odoo import api, fields, models

from ..sync.orders import send
from ..sync.receivables import credit
from ..sync.orders.documents import MAX_ROUNDING
from ..sync.orders.messages import totals_differ
from ..xero import links as xero_links
from .xero_order_link import INVOICE_STATUSES, QUOTE_STATUSES
from ..xero.mappers.document import is_settled

XERO_USER = "xero_connector.group_xero_user"
# What Xero knows of an order, for those who send it or collect it (not through export or RPC
# for anyone else).
XERO_READERS = "xero_connector.group_xero_user,xero_connector.group_xero_finance"
# Money is finance's (receivables): salespeople see the status and whether it is paid.
FINANCE = "xero_connector.group_xero_finance"
SYNC_STATES = [("not_sent", "Not in Xero"), ("pending", "Waiting to be sent"), ("sent", "In Xero"),
               ("error", "Not sent")]


def _fact(field_class, string, *args, groups=XERO_READERS, **kw):
    """A field of what Xero knows of the order, kept from its links (``_compute_xero``)."""
    return field_class(*args, string=string, compute="_compute_xero", store=True, copy=False, groups=groups, **kw)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    xero_invoice_link_ids = fields.One2many("xero.order.link", "order_id", groups=XERO_READERS)
    xero_quote_link_ids = fields.One2many("xero.quote.link", "order_id", groups=XERO_READERS)
    xero_invoice_id = _fact(fields.Char, "Xero invoice")
    xero_quote_id = _fact(fields.Char, "Xero quote")
    xero_number = _fact(fields.Char, "Xero invoice number")
    xero_status = _fact(fields.Selection, "Xero status", INVOICE_STATUSES, index=True)
    xero_quote_status = _fact(fields.Selection, "Xero quote status", QUOTE_STATUSES)
    xero_sync_state = _fact(fields.Selection, "Xero", SYNC_STATES, index=True)
    xero_error = _fact(fields.Text, "Why it is not in Xero")
    xero_amount_due = _fact(fields.Monetary, "Amount due in Xero", groups=FINANCE)
    xero_amount_paid = _fact(fields.Monetary, "Amount paid in Xero", groups=FINANCE)
    xero_amount_credited = _fact(fields.Monetary, "Amount credited in Xero", groups=FINANCE)
    xero_total = _fact(fields.Monetary, "Total in Xero", groups=FINANCE)
    xero_due_date = _fact(fields.Date, "Due date in Xero")
    xero_fully_paid_date = _fact(fields.Date, "Paid on")
    xero_expected_payment_date = _fact(fields.Date, "Expected payment")
    xero_sent_to_contact = _fact(fields.Boolean, "Sent to the customer")
    xero_online_url = _fact(fields.Char, "Online invoice", help="Where the customer sees and pays the invoice.")
    xero_voidable = _fact(fields.Boolean, "Can be voided",
                          help="Approved in Xero and nothing paid or credited on it: it can still be voided.")
    xero_paid = _fact(fields.Boolean, "Paid in Xero",
                      help="Nothing is owed on the Xero invoice any more (payments or credit notes).")
    xero_totals_warning = fields.Char(compute="_compute_xero_totals_warning", groups=XERO_READERS)
    xero_url = fields.Char("Open in Xero", compute="_compute_xero_url", groups=XERO_READERS)
    # Credit control, for every salesperson (no amounts): the customer is past due in Xero.
    xero_customer_overdue = fields.Boolean("Customer overdue in Xero", compute="_compute_xero_customer_overdue")
    xero_credit_held = fields.Boolean("Credit held", compute="_compute_xero_customer_overdue",
                                      help="The customer is past due in Xero beyond the credit limit.")
    xero_credit_note = fields.Char(compute="_compute_xero_customer_overdue")
    xero_credit_approved_by = fields.Many2one("res.users", "Credit approved by", copy=False, readonly=True)

    def _xero_links(self, field):
        """The order's link of ``field`` with its company's connection (an older connection's,
        if the company changed organisation and has not sent it there)."""
        links = self.sudo()[field]
        current = links.filtered(lambda link: link.connection_id == self.company_id.sudo().xero_connection_id)
        return current or links[:1]

    @api.depends("xero_invoice_link_ids.xero_invoice_id", "xero_invoice_link_ids.xero_status",
                 "xero_invoice_link_ids.state", "xero_invoice_link_ids.error", "xero_invoice_link_ids.xero_amount_due",
                 "xero_invoice_link_ids.xero_amount_paid", "xero_invoice_link_ids.xero_amount_credited",
                 "xero_invoice_link_ids.xero_total", "xero_invoice_link_ids.xero_due_date",
                 "xero_invoice_link_ids.xero_fully_paid_date", "xero_invoice_link_ids.xero_expected_payment_date",
                 "xero_invoice_link_ids.xero_sent_to_contact", "xero_invoice_link_ids.xero_online_url",
                 "xero_invoice_link_ids.xero_number", "xero_invoice_link_ids.next_retry",
                 "xero_invoice_link_ids.connection_id", "xero_quote_link_ids.xero_quote_id",
                 "xero_quote_link_ids.xero_status", "xero_quote_link_ids.xero_number", "xero_quote_link_ids.state",
                 "xero_quote_link_ids.error", "xero_quote_link_ids.next_retry", "xero_quote_link_ids.connection_id",
                 "company_id")
    def _compute_xero(self):
        for order in self:
            invoice, quote = order._xero_links("xero_invoice_link_ids"), order._xero_links("xero_quote_link_ids")
            main = invoice or quote
            order.xero_invoice_id = invoice.xero_invoice_id
            order.xero_quote_id = quote.xero_quote_id
            order.xero_quote_status = quote.xero_status
            order.xero_number = invoice.xero_number or quote.xero_number
            order.xero_status = invoice.xero_status
            order.xero_sync_state = send.sync_state(main)
            order.xero_error = main.error if main.state == "error" else False
            for name in ("amount_due", "amount_paid", "amount_credited", "total", "due_date", "fully_paid_date",
                         "expected_payment_date", "sent_to_contact", "online_url"):
                order["xero_" + name] = invoice["xero_" + name]
            order.xero_paid = bool(invoice.xero_invoice_id) and is_settled(invoice.xero_status,
                                                                              invoice.xero_amount_due)
            order.xero_voidable = invoice.xero_status == "AUTHORISED" and not invoice.xero_amount_paid \
                and not invoice.xero_amount_credited

    @api.depends("partner_id")
    def _compute_xero_customer_overdue(self):
        held = credit.held(self.filtered("partner_id"))
        mode = credit.settings(self.env)[0]
        for order in self:
            order.xero_customer_overdue = order.partner_id.commercial_partner_id.xero_overdue_flag
            order.xero_credit_held = order in held and mode != "off"
            order.xero_credit_note = credit.banner(self.env, mode) if order.xero_credit_held else False

    @api.depends("xero_invoice_id", "xero_quote_id")
    def _compute_xero_url(self):
        for order in self:
            invoice, quote = order._xero_links("xero_invoice_link_ids"), order._xero_links("xero_quote_link_ids")
            if invoice.xero_invoice_id:
                url = xero_links.invoice(invoice.connection_id._xero_short_code(), invoice.xero_invoice_id)
            elif quote.xero_quote_id:
                url = xero_links.quote(quote.connection_id._xero_short_code(), quote.xero_quote_id)
            else:
                url = None
            order.xero_url = url or False

    @api.depends("xero_total", "amount_total", "amount_tax", "xero_status")
    def _compute_xero_totals_warning(self):
        # Xero's Total against the order's, and its TotalTax beyond the cents of Xero's per-line
        # rounding (which the rounding line settles in the total, not in the tax).
        for order in self:
            invoice = order._xero_links("xero_invoice_link_ids")
            currency = order.currency_id
            differs = invoice.xero_invoice_id and invoice.xero_status not in ("VOIDED", "DELETED", False) and (
                currency.compare_amounts(invoice.xero_total, order.amount_total)
                or abs(invoice.xero_total_tax - order.amount_tax) > float(MAX_ROUNDING))
            order.xero_totals_warning = totals_differ(
                self.env, currency.format(invoice.xero_total), currency.format(invoice.xero_total_tax),
                currency.format(order.amount_total), currency.format(order.amount_tax)) if differs else False

    # -- buttons --------------------------------------------------------------------------------
    def action_send_to_xero(self):
        """Send to Xero: the order becomes a Xero invoice (or quote), its customer and products
        with it; sent again, an invoice Xero still lets change is updated."""
        return send.send(self)

    def action_xero_approve(self):
        """Approve in Xero: the Xero finance team's step (or salespeople's, if the setting allows)."""
        return send.approve(self)

    def action_xero_void(self):
        """Void in Xero: an approved invoice nothing is paid on (a draft is deleted); the Xero
        finance team's step, like approving."""
        send.void(self)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # -- what Odoo's own steps do in Xero ----------------------------------------------------------
    def action_xero_credit_approve(self):
        """Approve credit: finance lets the order be confirmed despite the customer's overdue invoices."""
        credit.approve(self)
        return True

    def action_confirm(self):
        """Credit control first (``credit.before_confirm``). A confirmed order makes its customer a
        Xero contact of the order's company, and goes to Xero as an invoice when its quote is
        there or the mapping says so (``send.confirmed``)."""
        credit.before_confirm(self)
        result = super().action_confirm()
        send.confirmed(self.filtered(lambda o: o.state == "sale"))
        return result

    def _action_cancel(self):
        # In Xero too: a draft invoice is deleted, an unpaid approved one voided; a paid one, or
        # Xero out of reach, stops the cancellation, and the whole transaction with it.
        result = super()._action_cancel()
        send.retire(self, cancelling=True)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            credit.guard(self, vals)
        return super().create(vals_list)

    def write(self, vals):
        vals = dict(vals, **credit.guard(self, vals))
        result = super().write(vals)
        if vals.get("state") == "sent":
            send.quotation_sent(self)
        return result
