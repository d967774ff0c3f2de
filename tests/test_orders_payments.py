"""After sending: finance approves (and Xero e-mails the invoice once), a paid invoice turns the
order Paid with a message for the salesperson, a payment removed in Xero makes it owed again, a
credit note settles it, a past-due invoice gets one follow-up, an approved invoice is voided."""
import ast
import datetime

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.engine import registry
from odoo.addons.xero_connector.xero_sandbox import documents

from .orders_common import OrdersCase


@tagged("post_install", "-at_install")
class TestAfterSending(OrdersCase):
    def setUp(self):
        super().setUp()
        self.finance = self.user("Fiona Finance", "fiona-orders",
                                 "xero_connector.group_xero_finance", "sales_team.group_sale_salesman_all_leads")
        self.seller = self.user("Sam Seller", "sam-orders",
                                "sales_team.group_sale_salesman")

    def sent_order(self, approve=True, **vals):
        order = self.confirmed(user_id=self.seller.id, **vals)
        order.with_user(self.seller).action_send_to_xero()
        if approve:
            order.with_user(self.finance).action_xero_approve()
        self.env.flush_all()
        return order

    # -- approving ------------------------------------------------------------------------------
    def test_a_salesperson_sends_a_draft_and_finance_approves_it(self):
        order = self.sent_order(approve=False)
        self.assertEqual(order.xero_status, "DRAFT")
        with self.assertRaises(AccessError):
            order.with_user(self.seller).action_xero_approve()
        self.assertEqual(self.xero_invoice(order)["Status"], "DRAFT")
        order.with_user(self.finance).action_xero_approve()
        self.assertEqual(self.xero_invoice(order)["Status"], "AUTHORISED")
        self.assertEqual(order.xero_status, "AUTHORISED")
        self.assertTrue(order.xero_online_url.startswith("http"))

    def test_salespeople_approve_when_the_setting_lets_them(self):
        self.params.set_param("xero_connector.sales_may_approve", "True")
        order = self.sent_order(approve=False)
        order.with_user(self.seller).action_xero_approve()
        self.assertEqual(order.xero_status, "AUTHORISED")

    def test_approved_on_arrival_only_when_the_sender_may_approve(self):
        self.params.set_param("xero_connector.invoice_status", "AUTHORISED")
        by_seller = self.sent_order(approve=False)
        self.assertEqual(by_seller.xero_status, "SUBMITTED", "awaiting approval by finance")
        by_finance = self.confirmed(user_id=self.seller.id)
        by_finance.with_user(self.finance).action_send_to_xero()
        self.assertEqual(by_finance.xero_status, "AUTHORISED")
        self.assertEqual(self.xero_invoice(by_finance)["Status"], "AUTHORISED")

    def test_an_e_mail_xero_refuses_leaves_the_invoice_approved(self):
        self.params.set_param("xero_connector.email_on_approve", "True")
        self.customer_co.email = False
        order = self.sent_order(approve=False)
        action = order.with_user(self.finance).action_xero_approve()
        self.assertEqual(order.xero_status, "AUTHORISED")
        self.assertEqual(self.xero_invoice(order)["Status"], "AUTHORISED")
        self.assertIn("did not e-mail it", action["params"]["message"])
        self.assertEqual(self.fake.emails_sent(self.tenant_id, order.xero_invoice_id), 0)

    def test_approving_sends_what_changed_since_the_draft_first(self):
        order = self.sent_order(approve=False)
        order.order_line[0].product_uom_qty = 7
        order.with_user(self.finance).action_xero_approve()
        invoice = self.xero_invoice(order)
        self.assertEqual((invoice["Status"], invoice["LineItems"][0]["Quantity"]), ("AUTHORISED", 7.0))

    def test_a_changed_mapping_leaves_approved_invoices_alone(self):
        draft, approved = self.sent_order(approve=False), self.sent_order()
        # The administrator maps the orders' tax to another rate: both orders' values change.
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": self.sale_tax.id,
                                         "xero_tax_type": "ZERORATED"})
        requeued = registry.get("invoices")(self.connection).requeue_changed()
        self.assertEqual(requeued, 1)
        self.assertEqual(draft.xero_invoice_link_ids.state, "pending")
        self.assertEqual(approved.xero_invoice_link_ids.state, "synced")
        self.assertEqual(approved.xero_sync_state, "sent")

    def test_the_invoice_is_e_mailed_once(self):
        self.params.set_param("xero_connector.email_on_approve", "True")
        self.customer_co.email = "accounts@kiwi.example.com"
        order = self.sent_order()
        self.assertEqual(self.fake.emails_sent(self.tenant_id, order.xero_invoice_id), 1)
        with self.assertRaises(UserError):  # approved already: nothing to approve, nothing e-mailed again
            order.with_user(self.finance).action_xero_approve()
        self.assertEqual(self.fake.emails_sent(self.tenant_id, order.xero_invoice_id), 1)
        self.assertTrue(order.xero_sent_to_contact)

    # -- changes once approved ------------------------------------------------------------------
    def test_an_approved_invoice_refuses_changes_and_is_voided(self):
        order = self.sent_order()
        order.order_line[0].product_uom_qty = 7
        action = order.with_user(self.seller).action_send_to_xero()
        self.assertIn("Void it", action["params"]["message"])
        self.assertEqual(self.xero_invoice(order)["LineItems"][0]["Quantity"], 2.0, "Xero's copy unchanged")
        with self.assertRaises(AccessError):  # voiding a receivable is finance's
            order.with_user(self.seller).action_xero_void()
        order.with_user(self.finance).action_xero_void()
        self.assertEqual(self.xero_invoice(order)["Status"], "VOIDED")
        self.assertEqual(order.xero_status, "VOIDED")
        # Sent again: a new invoice, with the new quantity.
        old_id = order.xero_invoice_id
        order.with_user(self.seller).action_send_to_xero()
        self.assertNotEqual(order.xero_invoice_id, old_id)
        self.assertEqual(self.xero_invoice(order)["LineItems"][0]["Quantity"], 7.0)
        self.assertEqual(len(self.invoices()), 2)

    def test_cancelling_deletes_a_draft_and_voids_an_unpaid_approved_invoice(self):
        draft, approved = self.sent_order(approve=False), self.sent_order()
        (draft | approved).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(self.xero_invoice(draft)["Status"], "DELETED")
        self.assertEqual(self.xero_invoice(approved)["Status"], "VOIDED")
        self.assertEqual((draft.state, approved.state), ("cancel", "cancel"))

    def test_a_paid_invoice_stops_the_cancellation(self):
        order = self.sent_order()
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id)
        self.pull_payments()
        with self.assertRaises(UserError):
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(self.xero_invoice(order)["Status"], "PAID")

    # -- payments back --------------------------------------------------------------------------
    def test_a_payment_turns_the_order_paid_and_tells_the_salesperson(self):
        order = self.sent_order()
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id, amount=10.0)
        self.pull_payments()
        self.assertEqual((order.xero_status, order.xero_amount_paid), ("AUTHORISED", 10.0))
        self.assertFalse(order.xero_paid)
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id)
        self.pull_payments()
        self.assertEqual(order.xero_status, "PAID")
        self.assertTrue(order.xero_paid)
        self.assertEqual(order.xero_amount_due, 0.0)
        self.assertEqual(order.xero_fully_paid_date, fields.Date.context_today(order))
        message = order.message_ids[0]
        self.assertIn("is paid", message.body)
        self.assertIn(self.seller.partner_id, message.notification_ids.res_partner_id)
        self.assertIn(order, self.env["sale.order"].search([("xero_paid", "=", True)]))

    def test_a_payment_removed_in_xero_makes_the_order_owed_again(self):
        order = self.sent_order()
        payment = self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id)
        self.pull_payments()
        self.assertTrue(order.xero_paid)
        self.fake.delete_payment(self.tenant_id, payment["PaymentID"])
        self.pull_payments()
        self.assertFalse(order.xero_paid)
        self.assertEqual(order.xero_status, "AUTHORISED")
        self.assertEqual(order.xero_amount_due, order.amount_total)
        self.assertIn("no longer paid", order.message_ids[0].body)

    def test_a_credit_note_settles_the_invoice(self):
        order = self.sent_order()
        self.fake.credit_invoice(self.tenant_id, order.xero_invoice_id)
        self.pull_payments()
        self.assertTrue(order.xero_paid)
        self.assertEqual(order.xero_amount_due, 0.0)
        self.assertEqual(order.xero_amount_credited, order.amount_total)

    def test_a_past_due_invoice_gets_one_follow_up_activity(self):
        self.params.set_param("xero_connector.overdue_days", "3")
        order = self.sent_order()
        invoice = self.fake.invoice(self.tenant_id, order.xero_invoice_id)
        past = fields.Date.context_today(order) - datetime.timedelta(days=5)
        documents.set_date(invoice, "DueDate", past)
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id, amount=1.0)  # a change Xero stamps
        self.pull_payments()
        self.pull_payments()
        activities = order.activity_ids.filtered(lambda a: "overdue" in (a.summary or "").lower())
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.seller)
        self.assertIn(order, self.env["sale.order"].search([("id", "=", order.id)] + self.overdue_domain()))

    def overdue_domain(self):
        today = fields.Date.to_string(fields.Date.context_today(self.env.user))
        return [("xero_status", "=", "AUTHORISED"), ("xero_amount_due", ">", 0), ("xero_due_date", "<", today)]

    # -- revenue leakage ------------------------------------------------------------------------
    def test_the_leakage_filter_finds_confirmed_orders_not_in_xero(self):
        sent, unsent, quotation, voided = (self.sent_order(approve=False), self.confirmed(), self.order(),
                                           self.sent_order())
        voided.with_user(self.finance).action_xero_void()
        search = self.env.ref("xero_connector.sale_order_search_xero")
        leakage = ast.literal_eval(etree.fromstring(search.arch).xpath("//filter[@name='xero_not_billed']")[0]
                                   .get("domain"))
        found = self.env["sale.order"].search(leakage + [("id", "in", (sent | unsent | quotation | voided).ids)])
        self.assertEqual(found, unsent | voided)
