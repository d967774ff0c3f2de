"""Sale orders and Xero: Send to Xero, Approve in Xero, Void, and the order's Xero status, amounts
and online invoice shown on the order (kept by its links, brought back by the pull). The rules
are ``sync/orders``; this is the glue."""
from odoo import api, fields, models

from ..sync.orders import send
from ..sync.orders.messages import totals_differ
from ..xero import links as xero_links
from ..xero.mappers.document import is_settled

XERO_USER = "xero_connector.group_xero_user"
SYNC_STATES = [("not_sent", "Not in Xero"), ("pending", "Waiting to be sent"), ("sent", "In Xero"),
               ("error", "Not sent")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    xero_invoice_link_ids = fields.One2many("xero.order.link", "order_id", groups=XERO_USER)
    xero_quote_link_ids = fields.One2many("xero.quote.link", "order_id", groups=XERO_USER)
    xero_invoice_id = fields.Char("Xero invoice", compute="_compute_xero", store=True, copy=False)
    xero_quote_id = fields.Char("Xero quote", compute="_compute_xero", store=True, copy=False)
    xero_number = fields.Char("Xero invoice number", compute="_compute_xero", store=True, copy=False)
    xero_status = fields.Selection(
        [("DRAFT", "Draft"), ("SUBMITTED", "Awaiting approval"), ("AUTHORISED", "Awaiting payment"),
         ("PAID", "Paid"), ("VOIDED", "Voided"), ("DELETED", "Deleted")], "Xero status", compute="_compute_xero",
        store=True, copy=False, index=True)
    xero_quote_status = fields.Selection(
        [("DRAFT", "Draft"), ("SENT", "Sent"), ("ACCEPTED", "Accepted"), ("DECLINED", "Declined"),
         ("INVOICED", "Invoiced"), ("DELETED", "Deleted")], "Xero quote status", compute="_compute_xero",
        store=True, copy=False)
    xero_sync_state = fields.Selection(SYNC_STATES, "Xero", compute="_compute_xero", store=True, copy=False,
                                       index=True)
    xero_error = fields.Text("Why it is not in Xero", compute="_compute_xero", store=True, copy=False)
    xero_amount_due = fields.Monetary("Amount due in Xero", compute="_compute_xero", store=True, copy=False)
    xero_amount_paid = fields.Monetary("Amount paid in Xero", compute="_compute_xero", store=True, copy=False)
    xero_amount_credited = fields.Monetary("Amount credited in Xero", compute="_compute_xero", store=True,
                                           copy=False)
    xero_total = fields.Monetary("Total in Xero", compute="_compute_xero", store=True, copy=False)
    xero_due_date = fields.Date("Due date in Xero", compute="_compute_xero", store=True, copy=False)
    xero_fully_paid_date = fields.Date("Paid on", compute="_compute_xero", store=True, copy=False)
    xero_expected_payment_date = fields.Date("Expected payment", compute="_compute_xero", store=True, copy=False)
    xero_sent_to_contact = fields.Boolean("Sent to the customer", compute="_compute_xero", store=True, copy=False)
    xero_online_url = fields.Char("Online invoice", compute="_compute_xero", store=True, copy=False,
                                  help="Where the customer sees and pays the invoice.")
    xero_paid = fields.Boolean("Paid in Xero", compute="_compute_xero", store=True, copy=False,
                               help="Nothing is owed on the Xero invoice any more (payments or credit notes).")
    xero_totals_warning = fields.Char(compute="_compute_xero_totals_warning")
    xero_url = fields.Char("Open in Xero", compute="_compute_xero_url")

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
                 "xero_invoice_link_ids.xero_number", "xero_quote_link_ids.xero_quote_id",
                 "xero_quote_link_ids.xero_status", "xero_quote_link_ids.state", "xero_quote_link_ids.error")
    def _compute_xero(self):
        for order in self:
            invoice, quote = order._xero_links("xero_invoice_link_ids"), order._xero_links("xero_quote_link_ids")
            main = invoice or quote
            order.xero_invoice_id = invoice.xero_invoice_id
            order.xero_quote_id = quote.xero_quote_id
            order.xero_quote_status = quote.xero_status
            order.xero_number = invoice.xero_number or quote.xero_number
            order.xero_status = invoice.xero_status
            order.xero_sync_state = _sync_state(main)
            order.xero_error = main.error if main.state == "error" else False
            for name in ("amount_due", "amount_paid", "amount_credited", "total", "due_date", "fully_paid_date",
                         "expected_payment_date", "sent_to_contact", "online_url"):
                order["xero_" + name] = invoice["xero_" + name]
            order.xero_paid = bool(invoice.xero_invoice_id) and is_settled(invoice.xero_status,
                                                                              invoice.xero_amount_due)

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

    @api.depends("xero_total", "amount_total", "xero_status")
    def _compute_xero_totals_warning(self):
        for order in self:
            differs = order.xero_invoice_id and order.xero_status not in ("VOIDED", "DELETED", False) \
                and order.currency_id.compare_amounts(order.xero_total, order.amount_total)
            order.xero_totals_warning = totals_differ(
                self.env, order.currency_id.format(order.xero_total),
                order.currency_id.format(order.amount_total)) if differs else False

    # -- buttons --------------------------------------------------------------------------------
    def action_send_to_xero(self):
        """Send to Xero: the order becomes a Xero invoice (or quote), its customer and products
        with it; sent again, an invoice Xero still lets change is updated."""
        return send.send(self)

    def action_xero_approve(self):
        """Approve in Xero: the Xero finance team's step (or salespeople's, if the setting allows)."""
        return send.approve(self)

    def action_xero_void(self):
        """Void an approved Xero invoice nothing is paid on (delete a draft one)."""
        send.retire(self)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # -- what Odoo's own steps do in Xero ----------------------------------------------------------
    def action_confirm(self):
        """A confirmed order makes its customer a Xero contact of the order's company; an order
        whose quote is in Xero, or any order when the mapping says so, goes as an invoice."""
        result = super().action_confirm()
        confirmed = self.filtered(lambda o: o.state == "sale")
        auto = bool(self.env["ir.config_parameter"].sudo().get_param(send.SEND_ON_CONFIRM_PARAM))
        for company, orders in confirmed.grouped("company_id").items():
            connection = company.sudo().xero_connection_id
            if not connection:
                continue
            orders.partner_id.commercial_partner_id._xero_ensure_links(connection)
            quoted = orders.filtered(lambda o: o.sudo().xero_quote_link_ids)
            going = orders if auto else quoted
            if going and connection.state == "connected":
                for links in send.links_to_send(going.sudo(), connection)[:2]:
                    links._note_record_changes(links.order_id.ids, ["document"])
                self.env["xero.sync.state"]._trigger("push")
        return result

    def _action_cancel(self):
        # Xero first: an invoice Xero keeps (paid) stops the cancellation, and a failure to
        # reach Xero leaves the order as it was.
        result = super()._action_cancel()
        send.retire(self, cancelling=True)
        return result

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "sent":
            # The quotation was sent to the customer: its Xero quote says so too.
            links = self.sudo().xero_quote_link_ids.filtered(lambda link: link.xero_quote_id)
            if links:
                links._note_record_changes(links.order_id.ids, ["document"])
        return result


def _sync_state(link):
    if not link:
        return "not_sent"
    if link.state == "error" and not link.next_retry:
        return "error"
    if link.state == "synced" and link._xero_id():
        return "sent"
    return "pending"

