"""Send to Xero: one click makes the customer, the products and the invoice, with the right lines,
taxes, discount, currency and due date; never a second invoice; updates while Xero allows."""
import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.xero_connector.xero.quota import Limits

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

    def test_taxes_included_in_price_go_inclusive(self):
        included = self.tax("GST 15% incl. (test)", 15.0, price_include_override="tax_included")
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": included.id,
                                         "xero_tax_type": "OUTPUT2"})
        order = self.confirmed(lines=[(self.product("Tea"), 1, 115.0, included)])
        self.send(order)
        [invoice] = self.invoices()
        self.assertEqual(invoice["LineAmountTypes"], "Inclusive")
        self.assertEqual((invoice["Total"], invoice["TotalTax"]), (115.0, 15.0))
        self.assertEqual((order.amount_total, order.amount_tax), (115.0, 15.0))

    def test_the_fiscal_position_s_tax_goes(self):
        exempt = self.tax("Export 0% (test)", 0.0)
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": exempt.id,
                                         "xero_tax_type": "ZERORATED"})
        position = self.env["account.fiscal.position"].create({
            "name": "Export (test)", "tax_ids": [Command.create({"tax_src_id": self.sale_tax.id,
                                                                "tax_dest_id": exempt.id})]})
        order = self.order(fiscal_position_id=position.id)
        order._recompute_taxes()
        order.action_confirm()
        action = self.send(order)
        self.assertEqual(order.order_line.tax_id, exempt)
        self.assertTrue(self.invoices(), action["params"]["message"])
        [invoice] = self.invoices()
        self.assertEqual(invoice["LineItems"][0]["TaxType"], "ZERORATED")
        self.assertEqual(invoice["TotalTax"], 0.0)

    def test_a_foreign_currency_and_its_rate(self):
        # Odoo's rates are per unit of the company's currency: 1.8 NZD and 0.9 EUR, so 0.5 EUR per NZD,
        # Xero's base currency.
        eur, nzd = self.env.ref("base.EUR"), self.env.ref("base.NZD")
        self.assertNotIn(self.env.company.currency_id, eur | nzd)
        (eur | nzd).active = True
        for currency, rate in ((eur, 0.9), (nzd, 1.8)):
            self.env["res.currency.rate"].create({"currency_id": currency.id, "rate": rate, "name": "2020-01-01",
                                                  "company_id": self.env.company.id})
        self.fake.tenant(self.tenant_id).currencies.setdefault("EUR", {"Code": "EUR", "Description": "Euro"})
        self.connection._xero_refresh_settings()
        pricelist = self.env["product.pricelist"].create({"name": "EUR (test)", "currency_id": eur.id})
        self.params.set_param("xero_connector.currency_rate", "odoo")
        order = self.confirmed(pricelist_id=pricelist.id)
        self.send(order)
        [invoice] = self.invoices()
        self.assertEqual(invoice["CurrencyCode"], "EUR")
        self.assertAlmostEqual(invoice["CurrencyRate"], 0.5, places=6)

    def test_xero_s_per_line_rounding_gives_equal_totals_with_the_rounding_line(self):
        # Xero's rounding guide: 25.06, 25.61, 25.63 at 15%: tax 11.44 per line, 11.45 on the total.
        self.env.company.tax_calculation_rounding_method = "round_globally"
        lines = [(self.product("P%s" % i), 1, price, self.sale_tax) for i, price in enumerate((25.06, 25.61, 25.63))]
        self.params.set_param("xero_connector.rounding_adjustment", "True")
        order = self.confirmed(lines=lines)
        self.assertEqual(order.amount_tax, 11.45)
        self.send(order)
        [invoice] = self.invoices()
        self.assertEqual(invoice["Total"], order.amount_total)
        self.assertEqual(invoice["LineItems"][-1]["Description"], "Rounding")
        self.assertEqual(invoice["LineItems"][-1]["AccountCode"], "860")  # the fake's ROUNDING account
        self.assertFalse(order.xero_totals_warning)

    def test_a_difference_of_totals_is_flagged_with_both_figures(self):
        self.env.company.tax_calculation_rounding_method = "round_globally"
        lines = [(self.product("P%s" % i), 1, price, self.sale_tax) for i, price in enumerate((25.06, 25.61, 25.63))]
        order = self.confirmed(lines=lines)
        self.send(order)
        self.assertEqual(self.invoices()[0]["Total"], 87.74)
        self.assertIn("87.74", order.xero_totals_warning)
        self.assertIn("87.75", order.xero_totals_warning)

    def test_a_quotation_in_invoice_mode_is_not_sent(self):
        order = self.order()
        action = self.send(order)
        self.assertIn("confirm the quotation", action["params"]["message"])
        self.assertEqual(self.invoices(), [])

    def test_quote_mode_sends_a_quote_then_the_invoice_when_confirmed(self):
        self.params.set_param("xero_connector.document_type", "quote")
        order = self.order()
        self.send(order)
        [quote] = self.quotes()
        self.assertEqual((quote["Status"], quote["Reference"]), ("DRAFT", order.name))
        self.assertEqual(order.xero_quote_id, quote["QuoteID"])
        order.action_quotation_sent()
        self.push()
        self.assertEqual(self.quotes()[0]["Status"], "SENT")
        order.action_confirm()
        self.push()
        [quote] = self.quotes()
        self.assertEqual(quote["Status"], "ACCEPTED")
        [invoice] = self.invoices()
        self.assertEqual(invoice["Reference"], order.name)
        self.assertEqual([line["Description"] for line in invoice["LineItems"]],
                         [line["Description"] for line in quote["LineItems"]])
        self.assertEqual(order.xero_invoice_id, invoice["InvoiceID"])
        self.push()  # invoiced in Xero: the quote says so, so that nobody invoices it again there
        self.assertEqual(self.quotes()[0]["Status"], "INVOICED")

    def test_cancelling_a_quotation_deletes_its_quote_whole(self):
        self.params.set_param("xero_connector.document_type", "quote")
        order = self.order()
        self.send(order)
        order.with_context(disable_cancel_warning=True).action_cancel()
        [quote] = self.quotes()
        self.assertEqual(quote["Status"], "DELETED")
        [delete] = [r for r in self.writes("/Quotes") if r.method == "POST"]
        [sent] = delete.json["Quotes"]
        self.assertEqual((sent["Contact"]["ContactID"], sent["LineAmountTypes"]), (quote["Contact"]["ContactID"],
                                                                                  "EXCLUSIVE"))

    def test_a_refused_invoice_says_why_on_the_order_and_in_the_sync_log(self):
        order = self.confirmed()
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        contact = self.fake.tenant(self.tenant_id).contacts[self.link(self.customer_co).xero_contact_id]
        contact["ContactStatus"] = "ARCHIVED"  # archived in Xero meanwhile: Xero refuses the invoice
        action = self.send(order)
        self.assertEqual(order.xero_sync_state, "error")
        self.assertIn("archived", order.xero_error)
        self.assertIn(order.name, action["params"]["message"])
        self.assertEqual(action["params"]["title"], "Not sent to Xero")
        self.assertEqual(self.invoices(), [])
        log = self.env["xero.sync.log"].search([("model", "=", "sale.order"), ("res_id", "=", order.id)], limit=1)
        self.assertEqual(log.result, "error")
        self.assertIn("archived", log.message)
        self.assertIn("archived", order.message_ids[0].body)

    def test_the_deal_won_trigger_sends_each_confirmed_order(self):
        self.params.set_param("xero_connector.send_on_confirm", "True")
        order = self.confirmed()
        self.assertEqual(order.xero_sync_state, "pending")
        self.push()
        [invoice] = self.invoices()
        self.assertEqual(invoice["Reference"], order.name)
        self.assertEqual(order.xero_sync_state, "sent")

    def test_a_draft_without_any_account_mapping_still_goes(self):
        self.connection.xero_default_sales_account = False
        odd = self.env["account.account"].create({"name": "Odd income", "code": "777777", "account_type": "income"})
        order = self.confirmed(lines=[(self.product("Unmapped", property_account_income_id=odd.id), 1, 10.0,
                                       self.sale_tax)])
        self.assertEqual(order.xero_preflight_level, "warn")
        self.send(order)
        [invoice] = self.invoices()
        self.assertEqual(invoice["Status"], "DRAFT")
        self.assertEqual(order.xero_sync_state, "sent")

    def test_a_spent_quota_queues_the_order_and_says_so(self):
        self.patch(type(self.connection), "_xero_limits",
                   lambda connection: Limits(minute=100000, day=1000, daily_reserve=1000))
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        order = self.confirmed()
        self.patch(type(self.connection), "_xero_limits",
                   lambda connection: Limits(minute=100000, day=0, daily_reserve=0))
        action = self.send(order)
        self.assertIn("in a few minutes", action["params"]["message"])
        self.assertEqual(order.xero_sync_state, "pending")
        self.assertEqual(self.invoices(), [])

    def test_one_click_is_one_write_and_two_with_a_new_customer(self):
        beans = self.product("Beans", default_code="BEANS")
        self.env["xero.product.link"]._push_now(beans, self.connection)
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        known = self.confirmed(lines=[(beans, 1, 10.0, self.sale_tax)])
        self.fake.reset_requests()
        self.send(known)
        self.assertEqual([(r.method, r.path.split("/")[-1]) for r in self.fake.requests], [("PUT", "Invoices")])
        newcomer = self.confirmed(partner=self.customer("Newcomer Ltd"), lines=[(beans, 1, 10.0, self.sale_tax)])
        self.fake.reset_requests()
        self.send(newcomer)
        self.assertEqual([(r.method, r.path.split("/")[-1]) for r in self.fake.requests if r.method != "GET"],
                         [("PUT", "Contacts"), ("PUT", "Invoices")])

    def test_xero_out_of_reach_says_so_and_tries_again_by_itself(self):
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        order = self.confirmed()
        self.env["xero.product.link"]._push_now(order.order_line.product_id, self.connection)
        self.fake.faults.add("drop", path="/Invoices", times=10)
        self.addCleanup(self.fake.faults.clear)
        action = self.send(order)
        self.assertEqual(action["params"]["title"], "Not sent to Xero")
        self.assertIn("could not be reached", action["params"]["message"])
        self.assertIn("tried again automatically", action["params"]["message"])
        self.assertEqual(order.xero_sync_state, "pending", "a retry is planned: not an error to fix")
        self.assertTrue(order.xero_invoice_link_ids.next_retry)
        self.assertEqual(self.invoices(), [])
