"""The preflight: every problem of a customer, product or order, named by record and field, in
plain words; blocking ones stop the write, warnings do not."""
import datetime
import json

from odoo import Command

from odoo.tests import tagged

from .mapping_common import MappingCase


@tagged("post_install", "-at_install")
class TestPreflight(MappingCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self.fake.set_lock_dates, self.tenant_id)
        self.params = self.env["ir.config_parameter"].sudo()

    def problems(self, record, level=None):
        found = record._xero_preflight(self.connection)
        return [p for p in found if level is None or p["level"] == level]

    def assertProblem(self, record, level, on, field, *words):
        """One problem of ``level`` on record ``on`` and ``field`` whose message holds ``words``."""
        found = [p for p in self.problems(record) if p["record"] == on and p["field"] == field]
        self.assertTrue(found, "no problem on %s.%s among %s" % (on, field, self.problems(record)))
        self.assertEqual(found[0]["level"], level)
        for word in words:
            self.assertIn(word, found[0]["message"])
        return found[0]

    # -- customers ----------------------------------------------------------------------------
    def test_a_clean_customer_has_no_problem(self):
        self.assertEqual(self.problems(self.customer_co), [])

    def test_a_customer_name_longer_than_xero_takes(self):
        partner = self.customer("N" * 260)
        self.assertProblem(partner, "block", partner, "name", "260", "255")

    def test_an_invalid_e_mail(self):
        partner = self.customer("Bad Mail Ltd", email="not an address")
        self.assertProblem(partner, "block", partner, "email", "Bad Mail Ltd", "not an address")

    def test_an_order_for_a_customer_archived_in_xero(self):
        partner = self.customer("Gone Ltd")
        self.push()
        self.link(partner).xero_archived = True
        self.assertEqual(self.problems(partner), [], "the contact itself may still be updated")
        order = self.order(partner=partner)
        self.assertProblem(order, "block", partner, "active", "Gone Ltd", "archived in Xero")

    def test_the_invoice_goes_to_the_invoice_address_s_company(self):
        payer = self.customer("Head Office Ltd", email="not an address")
        order = self.order(partner_invoice_id=payer.id)
        self.assertProblem(order, "block", payer, "email", "Head Office Ltd")

    def test_a_contact_archived_in_xero_is_known_from_the_pull(self):
        partner = self.customer("Closing Ltd")
        self.push()
        contact_id = self.link(partner).xero_contact_id
        self.xero_save({"ContactID": contact_id, "ContactStatus": "ARCHIVED"}, create=False)
        self.pull()
        self.assertTrue(self.link(partner).xero_archived)

    # -- products -----------------------------------------------------------------------------
    def test_a_code_longer_than_xero_takes(self):
        product = self.product("Long Code Beans", default_code="C" * 40)
        self.assertProblem(product, "block", product, "default_code", "Long Code Beans", "40", "30")

    def test_an_account_xero_has_archived_or_keeps_for_itself(self):
        for code, words in (("250", "archived"), ("090", "bank or system account"), ("999", "no account 999")):
            with self.subTest(code=code):
                account = self.env["account.account"].create({"name": "Xero %s" % code, "code": "7%s" % code,
                                                              "account_type": "income"})
                self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": account.id,
                                                     "xero_account_code": code})
                product = self.product("Beans %s" % code, property_account_income_id=account.id)
                self.assertProblem(product, "block", product, "property_account_income_id", "Beans %s" % code,
                                   code, words)

    def test_a_tax_with_no_xero_rate_only_warns_on_a_product(self):
        odd = self.tax("Odd 12.5%", 12.5)
        product = self.product("Odd Beans", taxes_id=[Command.set(odd.ids)])
        self.assertProblem(product, "warn", product, "taxes_id", "Odd Beans", "Odd 12.5%")

    def test_a_tax_and_account_pair_xero_refuses(self):
        product = self.product("Expensed Beans", property_account_income_id=self.expense.id)
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": self.expense.id,
                                             "xero_account_code": "400"})
        self.assertProblem(product, "block", product, "taxes_id", "Expensed Beans", "OUTPUT2", "400")

    # -- orders -------------------------------------------------------------------------------
    def test_a_plain_order_is_ready(self):
        order = self.order()
        self.assertEqual(self.problems(order), [])
        self.assertEqual(order.xero_preflight_level, "ok")

    def test_an_order_dated_in_a_locked_period(self):
        order = self.order(date_order=datetime.datetime(2026, 3, 31, 9, 0))
        self.fake.set_lock_dates(self.tenant_id, period=datetime.date(2026, 3, 31))
        self.connection._xero_refresh_settings()
        self.assertProblem(order, "block", order, "date_order", order.name, "2026-03-31", "lock date")

    def test_the_lock_date_is_checked_on_the_day_the_order_was_sold_where_it_was_sold(self):
        """9 am on 1 April in Auckland is 31 March in UTC: the books locked up to 31 March take it."""
        self.env.user.tz = "Pacific/Auckland"
        order = self.order(date_order=datetime.datetime(2026, 3, 31, 20, 0), user_id=self.env.user.id)
        self.fake.set_lock_dates(self.tenant_id, period=datetime.date(2026, 3, 31))
        self.connection._xero_refresh_settings()
        self.assertFalse([p for p in self.problems(order) if p["field"] == "date_order"])
        self.env.user.tz = "UTC"
        self.assertProblem(order, "block", order, "date_order", "lock date")

    def test_settings_never_read_warn_once_and_check_nothing_against_xero(self):
        self.connection.xero_settings_id.unlink()
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": self.income.id,
                                             "xero_account_code": "250"})
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": self.sale_tax.id,
                                         "xero_tax_type": "OUTPUT2"})
        order = self.order()
        found = self.problems(order)
        self.assertEqual([(p["level"], p["field"]) for p in found], [("warn", "company_id")], found)
        self.assertIn("not been read", found[0]["message"])

    def test_an_untaxed_line_on_a_taxed_order_goes_with_xero_s_no_tax_rate(self):
        freight = self.product("Freight", taxes_id=[Command.clear()])
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, self.sale_tax),
                                  (freight, 1, 5.0, self.env["account.tax"])])
        self.assertEqual(self.problems(order), [])
        run = self.env["xero.test.run"].create({"connection_id": self.connection.id,
                                                "order_ids": [Command.set(order.ids)]})
        run.action_preview()
        lines = json.loads(run.line_ids.payload)["LineItems"]
        self.assertEqual([line.get("TaxType") for line in lines], ["OUTPUT2", "NONE"])
        rates = self.fake.tenant(self.tenant_id).tax_rates
        self.addCleanup(rates.__setitem__, "NONE", rates["NONE"])
        self.addCleanup(rates.__setitem__, "ZERORATED", rates["ZERORATED"])
        rates["NONE"] = dict(rates["NONE"], Status="ARCHIVED")
        rates["ZERORATED"] = dict(rates["ZERORATED"], Status="ARCHIVED")
        self.connection._xero_refresh_settings()
        self.assertProblem(order, "warn", order.order_line[1], "tax_id", "Freight", "default tax")

    def test_quotes_are_drafts_whatever_the_invoice_status(self):
        odd = self.tax("Odd 12.5%", 12.5)
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, odd)])
        self.params.set_param("xero_connector.invoice_status", "AUTHORISED")
        self.params.set_param("xero_connector.document_type", "quote")
        self.assertProblem(order, "warn", order.order_line, "tax_id", "Odd 12.5%")

    def test_the_banner_follows_an_order_being_edited(self):
        from odoo.tests import Form
        odd = self.tax("Odd 12.5%", 12.5)
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer_co
            with form.order_line.new() as line:
                line.product_id = self.product("Beans")
                line.tax_id.clear()
                line.tax_id.add(odd)
            self.assertEqual(form.xero_preflight_level, "warn", "before it is saved")

    def test_a_currency_not_enabled_in_xero(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        order = self.order(pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, eur)
        self.assertProblem(order, "block", order, "currency_id", order.name, "EUR", "not enabled")
        usd = self.env.ref("base.USD")
        order.pricelist_id = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        self.assertFalse([p for p in self.problems(order) if p["field"] == "currency_id"], "USD is enabled")

    def test_an_unmapped_tax_warns_on_a_draft_and_blocks_an_approved_invoice(self):
        odd = self.tax("Odd 12.5%", 12.5)
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, odd)])
        line = order.order_line
        self.assertProblem(order, "warn", line, "tax_id", order.name, "Beans", "Odd 12.5%")
        self.assertEqual(order.xero_preflight_level, "warn")
        self.params.set_param("xero_connector.invoice_status", "AUTHORISED")
        self.assertProblem(order, "block", line, "tax_id", "Odd 12.5%")

    def test_a_line_without_a_sales_account_warns_on_a_draft(self):
        service = self.product("Advice", property_account_income_id=False)
        service.categ_id.property_account_income_categ_id = False
        order = self.order(lines=[(service, 1, 50.0, self.sale_tax)])
        self.assertProblem(order, "warn", order.order_line, "product_id", "Advice", "sales account")
        self.connection.xero_default_sales_account = "200"
        self.assertEqual(self.problems(order), [], "the default sales account covers it")

    def test_two_taxes_on_one_line(self):
        other = self.tax("Levy 2%", 2.0)
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, self.sale_tax | other)])
        self.assertProblem(order, "block", order.order_line, "tax_id", "one tax per line")

    def test_taxes_included_and_excluded_on_one_order(self):
        included = self.tax("GST 15% included", 15.0, price_include_override="tax_included")
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": included.id,
                                         "xero_tax_type": "OUTPUT2"})
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, self.sale_tax),
                                  (self.product("Peas"), 1, 10.0, included)])
        self.assertProblem(order, "block", order, "order_line", order.name, "tax inclusive")

    def test_a_mapped_rate_differing_from_odoo_s_warns(self):
        old = self.tax("GST 12.5% (old)", 12.5)
        self.env["xero.tax.map"].create({"connection_id": self.connection.id, "tax_id": old.id,
                                         "xero_tax_type": "OUTPUT2"})
        order = self.order(lines=[(self.product("Beans"), 1, 10.0, old)])
        self.assertProblem(order, "warn", order.order_line, "tax_id", "12.5%", "15%")

    def test_the_customer_s_problems_are_the_order_s(self):
        partner = self.customer("Bad Mail Ltd", email="not an address")
        order = self.order(partner=partner)
        self.assertProblem(order, "block", partner, "email", "not an address")
        self.assertEqual(order.xero_preflight_level, "block")
        self.assertIn("not an address", order.xero_preflight_html)

    def test_an_order_without_lines(self):
        order = self.env["sale.order"].create({"partner_id": self.customer_co.id})
        self.assertProblem(order, "block", order, "order_line", order.name)
