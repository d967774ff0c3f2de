"""Receivables: the mirror of the customers' Xero invoices and credit notes (paged, incremental),
the figures on the customer for finance only, the overdue badge for everyone, credit control,
and one company's receivables out of another's sight."""
import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.receivables import ReceivableInvoiceSync
from odoo.addons.xero_connector.xero.batch import WriteItem

from .orders_common import OrdersCase

FIELDS = ["xero_outstanding", "xero_overdue", "xero_overdue_days", "xero_last_payment_date", "xero_avg_days_to_pay",
          "xero_lifetime_paid", "xero_ageing_current", "xero_ageing_1_30", "xero_ageing_31_60", "xero_ageing_61_90",
          "xero_ageing_90_plus"]


@tagged("post_install", "-at_install")
class TestReceivables(OrdersCase):
    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.env.user)
        self.finance = self.user("Fiona Finance", "fiona-receivables",
                                 "xero_connector.group_xero_finance", "sales_team.group_sale_salesman_all_leads")
        self.seller = self.user("Sam Seller", "sam-receivables",
                                "sales_team.group_sale_salesman_all_leads", "base.group_allow_export")
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        self.contact_id = self.link(self.customer_co).xero_contact_id

    def invoice(self, amount, days_ago, due_in=30, status="AUTHORISED", currency=None, **fields_):
        day = self.today - datetime.timedelta(days=days_ago)
        values = dict({"Type": "ACCREC", "Contact": {"ContactID": self.contact_id}, "Status": status,
                       "Date": day, "DueDate": day + datetime.timedelta(days=due_in),
                       "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": amount,
                                      "AccountCode": "200", "TaxType": "NONE"}]}, **fields_)
        if currency:
            values["CurrencyCode"] = currency
        return self.fake.add_invoice(self.tenant_id, values)

    def mirror(self):
        return self.env["xero.invoice"].search([("connection_id", "=", self.connection.id)])

    def test_the_mirror_is_read_page_by_page_then_only_what_changed(self):
        self.patch(ReceivableInvoiceSync, "page_size", 2)
        made = [self.invoice(100 + i, days_ago=10) for i in range(5)]
        self.fake.reset_requests()
        self.pull_payments()
        self.assertEqual(sorted(self.mirror().filtered(lambda d: d.kind == "invoice").mapped("number")),
                         sorted(i["InvoiceNumber"] for i in made))
        gets = [r for r in self.fake.requests if r.method == "GET" and r.path.endswith("/Invoices")]
        self.assertGreaterEqual(len(gets), 3, "pages of 2")
        self.assertTrue(all(r.query.get("pageSize") == ["2"] for r in gets))
        self.assertEqual(self.mirror().mapped("partner_id"), self.customer_co)
        self.fake.pay_invoice(self.tenant_id, made[0]["InvoiceID"], amount=40)
        self.fake.reset_requests()
        self.pull_payments()
        gets = [r for r in self.fake.requests if r.method == "GET" and r.path.endswith("/Invoices")]
        self.assertTrue(gets and all(r.headers.get("If-Modified-Since") for r in gets))
        paid = self.mirror().filtered(lambda d: d.xero_invoice_id == made[0]["InvoiceID"])
        self.assertEqual((paid.amount_paid, paid.amount_due, paid.last_payment_date), (40.0, 60.0, self.today))
        self.assertEqual(paid.payments, "%s  40.00" % self.today)

    def test_the_figures_on_a_realistic_set(self):
        paid = self.invoice(100, days_ago=50)                      # paid in full 20 days after its date
        self.fake.pay_invoice(self.tenant_id, paid["InvoiceID"], date=self.today - datetime.timedelta(days=30))
        partial = self.invoice(200, days_ago=45)                   # 15 days overdue, 50 paid
        self.fake.pay_invoice(self.tenant_id, partial["InvoiceID"], amount=50,
                              date=self.today - datetime.timedelta(days=5))
        self.invoice(300, days_ago=100)                            # 70 days overdue
        self.invoice(80, days_ago=5)                               # not yet due
        voided = self.invoice(999, days_ago=40)
        credited = self.invoice(60, days_ago=3)                    # settled by a credit note
        self.fake.credit_invoice(self.tenant_id, credited["InvoiceID"])
        removed = self.invoice(70, days_ago=2)                     # paid, then the payment removed
        payment = self.fake.pay_invoice(self.tenant_id, removed["InvoiceID"])
        foreign = self.invoice(50, days_ago=1, currency="USD")     # 50 USD at the fake's rate
        self.pull_payments()
        # Voided in Xero, and a payment removed, after a first read: the next read sees both.
        with self.connection._xero_session() as client:
            result = client.save("Invoices", [WriteItem(1, {"InvoiceID": voided["InvoiceID"], "Status": "VOIDED"},
                                                        "void")])[0]
            self.assertTrue(result.ok, result.errors)
        self.fake.delete_payment(self.tenant_id, payment["PaymentID"])
        self.pull_payments()
        rate = self.fake.invoice(self.tenant_id, foreign["InvoiceID"])["CurrencyRate"]
        usd = round(50 / rate, 2)
        partner = self.customer_co.with_user(self.finance)
        figures = partner.read(FIELDS)[0]
        self.assertAlmostEqual(figures["xero_outstanding"], 150 + 300 + 80 + 70 + usd, places=2)
        self.assertAlmostEqual(figures["xero_overdue"], 150 + 300, places=2)
        self.assertEqual(figures["xero_overdue_days"], 70)
        self.assertAlmostEqual(figures["xero_ageing_current"], 80 + 70 + usd, places=2)
        self.assertAlmostEqual(figures["xero_ageing_1_30"], 150, places=2)
        self.assertAlmostEqual(figures["xero_ageing_61_90"], 300, places=2)
        self.assertEqual(figures["xero_ageing_31_60"], 0)
        self.assertEqual(figures["xero_last_payment_date"], self.today - datetime.timedelta(days=5))
        self.assertEqual(figures["xero_avg_days_to_pay"], 20.0, "paid with money: not the one a credit note settled")
        self.assertAlmostEqual(figures["xero_lifetime_paid"], 100 + 50, places=2)
        self.assertTrue(self.customer_co.with_user(self.seller).xero_overdue_flag)

    def test_a_salesperson_sees_the_badge_and_no_amount(self):
        self.invoice(300, days_ago=100)
        self.pull_payments()
        seller_view = self.customer_co.with_user(self.seller)
        self.assertTrue(seller_view.xero_overdue_flag)
        with self.assertRaises(AccessError):
            seller_view.read(["xero_outstanding"])
        with self.assertRaises(AccessError):
            seller_view.export_data(["xero_overdue"])
        with self.assertRaises(AccessError):
            self.env["xero.invoice"].with_user(self.seller).search([])
        self.assertEqual(self.customer_co.with_user(self.finance).read(["xero_overdue"])[0]["xero_overdue"], 300.0)

    def test_credit_control_warns_blocks_and_finance_overrides(self):
        self.invoice(300, days_ago=100)
        self.pull_payments()
        warned = self.order()
        self.assertTrue(warned.with_user(self.seller).xero_customer_overdue)
        warned.with_user(self.seller).action_confirm()
        self.assertEqual(warned.state, "sale")
        self.assertIn("past due", warned.message_ids[0].body)
        self.params.set_param("xero_connector.credit_control", "block")
        held = self.order()
        with self.assertRaises(UserError):
            held.with_user(self.seller).action_confirm()
        with self.assertRaises(UserError):
            held.with_user(self.seller).action_xero_credit_approve()
        held.with_user(self.finance).action_xero_credit_approve()
        self.assertIn("Credit approved by Fiona Finance", held.message_ids[0].body)
        held.with_user(self.seller).action_confirm()
        self.assertEqual(held.state, "sale")
        self.params.set_param("xero_connector.credit_limit_overdue", "500")  # 300 owed: within the limit
        within = self.order()
        within.with_user(self.seller).action_confirm()
        self.assertEqual(within.state, "sale")

    def test_another_company_sees_nothing_of_the_first(self):
        self.invoice(300, days_ago=100)
        self.pull_payments()
        company, _connection, _tenant = self.connected_company("Other Co", "AUD")
        other = self.env["res.users"].create({
            "name": "Oscar Other", "login": "oscar-receivables", "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set((self.env.ref("xero_connector.group_xero_finance")
                                       | self.env.ref("sales_team.group_sale_salesman_all_leads")).ids)]})
        self.assertFalse(self.env["xero.invoice"].with_user(other).search([]))
        self.assertEqual(self.customer_co.with_user(other).with_company(company).read(["xero_outstanding"])[0]
                         ["xero_outstanding"], 0.0)

    def test_the_approval_is_finance_s_and_follows_the_customer(self):
        self.invoice(300, days_ago=100)
        self.pull_payments()
        self.params.set_param("xero_connector.credit_control", "block")
        held = self.order()
        with self.assertRaises(UserError):  # not through a write: only Approve credit
            held.with_user(self.seller).write({"xero_credit_approved_by": self.seller.id})
        held.with_user(self.finance).action_xero_credit_approve()
        held.with_user(self.seller).write({"partner_id": self.customer("Another Ltd").id})
        self.assertFalse(held.xero_credit_approved_by, "approved for another customer")
        held.with_user(self.seller).write({"partner_id": self.customer_co.id,
                                           "partner_invoice_id": self.customer_co.id})
        with self.assertRaises(UserError):
            held.with_user(self.seller).action_confirm()

    def test_the_limits_and_who_is_billed(self):
        self.invoice(300, days_ago=40)  # 10 days overdue
        self.pull_payments()
        self.params.set_param("xero_connector.credit_control", "block")
        self.params.set_param("xero_connector.credit_limit_days", "30")
        within = self.order()
        within.with_user(self.seller).action_confirm()
        self.assertEqual(within.state, "sale", "10 days: within the 30 allowed, whatever the amount")
        self.params.set_param("xero_connector.credit_limit_days", "5")
        # Xero bills the invoice address's company: that is the customer whose debt counts.
        branch = self.customer("Branch of Kiwi", is_company=False, parent_id=self.customer_co.id)
        other = self.customer("Clean Ltd")
        billed_to_kiwi = self.order(partner=other, partner_invoice_id=branch.id)
        with self.assertRaises(UserError):
            billed_to_kiwi.with_user(self.seller).action_confirm()
        billed_elsewhere = self.order(partner=branch, partner_invoice_id=other.id)
        billed_elsewhere.with_user(self.seller).action_confirm()
        self.assertEqual(billed_elsewhere.state, "sale")

    def test_the_first_read_takes_the_years_asked_and_what_still_owes(self):
        self.params.set_param("xero_connector.history_years", "1")
        old_paid = self.invoice(100, days_ago=800)
        self.fake.pay_invoice(self.tenant_id, old_paid["InvoiceID"], date=self.today - datetime.timedelta(days=790))
        old_owing = self.invoice(200, days_ago=900)
        recent = self.invoice(50, days_ago=10)
        self.pull_payments()
        self.assertEqual(sorted(self.mirror().mapped("xero_invoice_id")),
                         sorted([old_owing["InvoiceID"], recent["InvoiceID"]]))

    def test_a_salesperson_reads_no_amount_of_an_order_either(self):
        order = self.confirmed(user_id=self.seller.id)
        order.action_send_to_xero()
        with self.assertRaises(AccessError):
            order.with_user(self.seller).read(["xero_amount_due"])
        self.assertEqual(order.with_user(self.seller).read(["xero_status"])[0]["xero_status"], "DRAFT")
