"""Send to Xero: one click makes the customer, the products and the invoice, with the right lines,
taxes, discount, currency and due date; never a second invoice; updates while Xero allows."""
import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .orders_common import OrdersCase


@tagged("post_install", "-at_install")
class TestSendToXero(OrdersCase):
    def test_one_click_creates_the_contact_the_items_and_the_invoice(self):
        beans, cups = self.product("Beans", default_code="BEANS"), self.product("Cups", default_code="CUPS")
        order = self.confirmed(lines=[(beans, 2, 10.0, self.sale_tax), (cups, 3, 4.5, self.sale_tax)],
                               payment_term_id=self.term_30.id)
        order.order_line[1].discount = 10.0
        order.order_line = [Command.create({"display_type": "line_note", "name": "Deliver on Monday"})]
        self.send(order)

        [invoice] = self.invoices()
        contact = self.link(self.customer_co)
        self.assertEqual(invoice["Contact"]["ContactID"], contact.xero_contact_id)
        self.assertEqual(invoice["Type"], "ACCREC")
        self.assertEqual(invoice["Status"], "DRAFT")
        self.assertEqual(invoice["Reference"], order.name)
        self.assertEqual(invoice["LineAmountTypes"], "Exclusive")
        lines = invoice["LineItems"]
        self.assertEqual([line.get("ItemCode") for line in lines], ["BEANS", "CUPS", None])
        self.assertEqual([line.get("TaxType") for line in lines[:2]], ["OUTPUT2", "OUTPUT2"])
        self.assertEqual([line.get("AccountCode") for line in lines[:2]], ["200", "200"])
        self.assertEqual(lines[1]["DiscountRate"], 10.0)
        self.assertEqual(lines[2]["Description"], "Deliver on Monday")
        self.assertEqual(invoice["Total"], order.amount_total)
        self.assertEqual(invoice["DueDateString"][:10], str(order.date_order.date() + datetime.timedelta(days=30)))
        self.assertEqual(order.xero_invoice_id, invoice["InvoiceID"])
        self.assertEqual(order.xero_status, "DRAFT")
        self.assertEqual(order.xero_sync_state, "sent")
        self.assertEqual(len(self.writes("/Invoices")), 1)

    def test_a_double_click_gives_one_invoice(self):
        order = self.confirmed()
        self.send(order)
        self.send(order)
        self.assertEqual(len(self.invoices()), 1)
        self.assertEqual(len(self.writes("/Invoices")), 1, "nothing changed: nothing sent again")

    def test_a_change_while_draft_updates_the_same_invoice(self):
        order = self.confirmed()
        self.send(order)
        first = self.xero_invoice(order)
        line_id = first["LineItems"][0]["LineItemID"]
        order.order_line[0].product_uom_qty = 5
        self.send(order)
        [invoice] = self.invoices()
        self.assertEqual(invoice["LineItems"][0]["Quantity"], 5.0)
        self.assertEqual(invoice["LineItems"][0]["LineItemID"], line_id)
        self.assertEqual(order.xero_total, order.amount_total)

    def test_a_user_without_the_xero_group_cannot_send(self):
        order = self.confirmed()
        user = self.env["res.users"].create({"name": "Plain", "login": "plain-orders",
                                             "groups_id": [Command.set(self.env.ref("base.group_user").ids)]})
        with self.assertRaises(AccessError):
            order.with_user(user).action_send_to_xero()
        self.assertEqual(self.invoices(), [])
