"""The mapping: Xero's settings read and kept, the wizard's proposals on realistic AU, NZ, UK and
US organisations, what saving does, and who may change it."""
import datetime
import json

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .mapping_common import MappingCase

# Per edition: the Odoo sales taxes an accountant of that country has (name, rate, extra
# values), and the Xero tax type each should be proposed as.
EDITIONS = {
    "AUD": [("GST 10%", 10.0, {}, "OUTPUT"),
            ("GST 10% included", 10.0, {"price_include_override": "tax_included"}, "OUTPUT"),
            ("GST Free Exports", 0.0, {}, "EXEMPTEXPORT"),
            ("GST Free", 0.0, {}, "EXEMPTOUTPUT")],
    "NZD": [("15% GST", 15.0, {}, "OUTPUT2"),
            ("0% Export", 0.0, {}, "ZERORATED")],
    "GBP": [("20% VAT", 20.0, {}, "OUTPUT2"),
            ("5% VAT (reduced rate)", 5.0, {}, "RROUTPUT"),
            ("0% EU goods (intra-community)", 0.0, {}, "ECZROUTPUT"),
            ("0% EU services (reverse charge)", 0.0, {}, "ECZROUTPUTSERVICES")],
    "USD": [("NY Sales Tax 8.875%", 8.875, {}, "OUTPUT"),
            ("California Sales Tax 7.25%", 7.25, {}, "TAX001"),
            ("Tax exempt (out of state)", 0.0, {}, "NONE")],
}


@tagged("post_install", "-at_install")
class TestXeroSettings(MappingCase):
    def test_connecting_reads_and_keeps_the_organisation_s_settings(self):
        settings = self.connection.xero_settings_id
        self.assertTrue(settings, "read on connect")
        self.assertEqual((settings.base_currency, settings.version, settings.country), ("NZD", "NZ", "NZ"))
        self.assertFalse(settings.lock_date)
        Account = self.env["xero.account"]
        mine = [("connection_id", "=", self.connection.id)]
        self.assertTrue(Account.search(mine + [("code", "=", "200"), ("sales_ok", "=", True)]))
        self.assertFalse(Account.search(mine + [("code", "=", "250"), ("sales_ok", "=", True)]), "archived")
        self.assertFalse(Account.search(mine + [("code", "=", "090"), ("sales_ok", "=", True)]), "a bank account")
        rates = self.env["xero.tax.rate"].search(mine + [("sales_ok", "=", True)]).mapped("tax_type")
        self.assertIn("OUTPUT2", rates)
        self.assertNotIn("INPUT2", rates, "purchases only")
        self.assertIn("AUD", [c["Code"] for c in settings.currencies])
        self.assertEqual(settings._rules().rounding_account, "860")

    def test_a_lock_date_set_in_xero_is_read_again_by_the_nightly_job(self):
        self.addCleanup(self.fake.set_lock_dates, self.tenant_id)
        self.fake.set_lock_dates(self.tenant_id, period=datetime.date(2026, 6, 30))
        self.env["xero.org.settings"]._cron_refresh()
        self.assertEqual(self.connection.xero_settings_id.lock_date, datetime.date(2026, 6, 30))

    def test_the_item_sync_reads_settings_only_when_they_are_stale(self):
        self.fake.reset_requests()
        self.product("Fresh Beans", default_code="FRESH")
        self.push_items()
        reads = [r for r in self.fake.requests if r.method == "GET" and r.path.endswith("/TaxRates")]
        self.assertEqual(reads, [], "read on connect, a minute ago")


@tagged("post_install", "-at_install")
class TestMappingProposals(MappingCase):
    def test_proposals_on_realistic_au_nz_uk_and_us_organisations(self):
        for currency, taxes in EDITIONS.items():
            with self.subTest(edition=currency):
                company, connection, _tenant = self.connected_company("Edition %s" % currency, currency)
                made = {name: self.tax(name, rate, company=company, **extra) for name, rate, extra, _t in taxes}
                self.open_mapping(connection)
                for name, _rate, _extra, expected in taxes:
                    row = self.tax_row(made[name], connection)
                    self.assertEqual(row.xero_tax_type, expected, name)
                    self.assertFalse(row.confirmed, "a proposal waits for the administrator")
                    self.assertFalse(row.problem, name)

    def test_a_group_tax_is_one_xero_rate_of_its_children_s_sum(self):
        half = [self.tax("GST half %s" % i, 7.5, type_tax_use="none") for i in (1, 2)]
        group = self.tax("GST 15% (group)", 0, amount_type="group",
                         children_tax_ids=[Command.set([t.id for t in half])])
        self.open_mapping()
        self.assertEqual(self.tax_row(group).xero_tax_type, "OUTPUT2")

    def test_accounts_and_payment_terms_are_proposed(self):
        other = self.env["account.account"].create({"name": "Other Revenue", "code": "4999", "account_type": "income"})
        unused = self.env["account.account"].create({"name": "Gain on Sale", "code": "4998", "account_type": "income"})
        self.product("Beans")
        self.product("Beans of another kind", property_account_income_id=other.id)
        month_end = self.env["account.payment.term"].create({"name": "End of following month", "line_ids": [
            Command.create({"value": "percent", "value_amount": 100, "delay_type": "days_after_end_of_next_month",
                            "nb_days": 0})]})
        self.open_mapping()
        rows = self.env["xero.account.map"].search([("connection_id", "=", self.connection.id)])
        self.assertEqual(rows.filtered(lambda r: r.account_id == self.income).xero_account_code, "200")
        self.assertEqual(rows.filtered(lambda r: r.account_id == other).xero_account_code, "260", "by its name")
        self.assertFalse(rows.filtered(lambda r: r.account_id == unused), "no product sells to it")
        terms = self.env["xero.payment.term.map"].search([("connection_id", "=", self.connection.id)])
        thirty = terms.filtered(lambda r: r.payment_term_id == self.term_30)
        self.assertEqual((thirty.xero_day, thirty.xero_type), (30, "DAYSAFTERBILLDATE"))
        end = terms.filtered(lambda r: r.payment_term_id == month_end)
        self.assertEqual((end.xero_day, end.xero_type), (31, "OFFOLLOWINGMONTH"))
        instalments = terms.filtered(lambda r: len(r.payment_term_id.line_ids) > 1)[:1]
        self.assertFalse(instalments.xero_type, "Xero has one due date: nothing proposed")
        self.assertIn("one due date per invoice", instalments.problem)
        self.assertEqual(self.connection.xero_default_sales_account, "200", "Xero's Sales, for Odoo's usual income")

    def test_reopening_keeps_what_the_administrator_chose(self):
        tax = self.tax("Odd 15%", 15.0)
        self.open_mapping()
        self.tax_row(tax).xero_tax_type = "NONE"
        self.open_mapping()
        self.assertEqual(self.tax_row(tax).xero_tax_type, "NONE")

    def test_an_empty_proposal_is_tried_again_when_xero_has_the_rate(self):
        tax = self.tax("GST 12.5% (old)", 12.5)
        self.open_mapping()
        self.assertFalse(self.tax_row(tax).xero_tax_type)
        rates = self.fake.tenant(self.tenant_id).tax_rates
        self.addCleanup(rates.pop, "OUTPUT3", None)
        rates["OUTPUT3"] = dict(rates["OUTPUT2"], Name="12.5% GST on Income (old)", TaxType="OUTPUT3",
                                DisplayTaxRate=12.5, EffectiveRate=12.5,
                                TaxComponents=[{"Name": "GST", "Rate": 12.5, "IsCompound": False,
                                                "IsNonRecoverable": False}])
        self.open_mapping()
        self.assertEqual(self.tax_row(tax).xero_tax_type, "OUTPUT3")

    def test_a_rate_differing_from_odoo_s_is_flagged(self):
        tax = self.tax("GST 12.5% (old)", 12.5)
        self.open_mapping()
        row = self.tax_row(tax)
        self.assertFalse(row.xero_tax_type, "Xero has no 12.5% rate: nothing is proposed")
        row.xero_tax_type = "OUTPUT2"
        self.assertIn("12.5%", row.problem)
        self.assertIn("15%", row.problem)

    def test_a_fiscal_position_by_customer_country_picks_the_export_rate(self):
        company, connection, _tenant = self.connected_company("Export AU", "AUD")
        gst = self.tax("GST 10%", 10.0, company=company)
        export = self.tax("GST Free Exports", 0.0, company=company)
        self.env["account.fiscal.position"].create({
            "name": "Overseas", "company_id": company.id, "auto_apply": True,
            "country_group_id": self.env["res.country.group"].create({
                "name": "Not Australia", "country_ids": [Command.set(
                    self.env["res.country"].search([("code", "!=", "AU")]).ids)]}).id,
            "tax_ids": [Command.create({"tax_src_id": gst.id, "tax_dest_id": export.id})]})
        self.open_mapping(connection)
        buyer = self.env["res.partner"].create({"name": "Overseas Buyer", "is_company": True,
                                                "country_id": self.env.ref("base.us").id})
        product = self.env["product.product"].create({"name": "Wine", "list_price": 30.0,
                                                      "taxes_id": [Command.set(gst.ids)]})
        order = self.env["sale.order"].with_company(company).create({
            "partner_id": buyer.id, "company_id": company.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        self.assertEqual(order.order_line.tax_id, export, "Odoo's fiscal position applied")
        run = self.env["xero.test.run"].with_company(company).create({"connection_id": connection.id,
                                                                      "order_ids": [Command.set(order.ids)]})
        run.action_preview()
        payload = json.loads(run.line_ids.payload)
        self.assertEqual(payload["LineItems"][0]["TaxType"], "EXEMPTEXPORT")


@tagged("post_install", "-at_install")
class TestMappingWizard(MappingCase):
    def test_saving_keeps_the_options_and_confirms_every_row(self):
        self.assertIn("Not settled yet", self.connection.xero_mapping_status)
        wizard = self.open_mapping()
        settings = self.env["res.config.settings"].create({})
        self.assertIn("wait for you", settings.xero_mapping_status, "Settings → Xero says so")
        self.assertIn("wait for you", self.connection.xero_mapping_status)
        self.assertTrue(wizard.tax_map_ids)
        wizard.write({"document_type": "quote", "invoice_status": "AUTHORISED", "send_on_confirm": True,
                      "numbering": "odoo", "default_account_id": self.env["xero.account"].search(
                          [("connection_id", "=", self.connection.id), ("code", "=", "260")]).id})
        wizard.action_save()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("xero_connector.document_type"), "quote")
        self.assertEqual(params.get_param("xero_connector.invoice_status"), "AUTHORISED")
        self.assertTrue(params.get_param("xero_connector.send_on_confirm"))
        self.assertEqual(params.get_param("xero_connector.numbering"), "odoo")
        self.assertEqual(self.connection.xero_default_sales_account, "260")
        self.assertTrue(all(self.connection.tax_map_ids.mapped("confirmed")))
        unsettled = self.connection.payment_term_map_ids.filtered("problem")
        self.assertTrue(unsettled, "instalment terms Xero cannot say")
        self.assertEqual(self.connection.xero_mapping_todo, len(unsettled), "confirmed rows are settled")
        unsettled.write({"xero_day": 30, "xero_type": "DAYSAFTERBILLDATE"})
        self.assertEqual(self.connection.xero_mapping_status, "Settled.")
        again = self.open_mapping()
        self.assertEqual((again.document_type, again.invoice_status, again.send_on_confirm),
                         ("quote", "AUTHORISED", True))

    def test_a_connection_not_yet_connected_says_to_connect_first(self):
        company = self.env["res.company"].create({"name": "Unconnected (test)"})
        connection = self.env["xero.connection"].create({"name": "Later", "client_id": "x", "client_secret": "y",
                                                         "company_id": company.id})
        with self.assertRaisesRegex(UserError, "Connect Later to a Xero organisation first"):
            connection.action_open_mapping()

    def test_a_tax_and_account_pair_xero_refuses_is_caught_in_the_wizard(self):
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": self.expense.id,
                                             "xero_account_code": "400"})
        wizard = self.open_mapping()
        self.assertIn("Xero refuses tax rate OUTPUT2 on account 400", wizard.summary)

    def test_an_unreachable_xero_keeps_the_settings_read_before_and_says_so(self):
        read_before = self.connection.xero_settings_id.refreshed_at
        connections = self.fake.identity.apps["CUSTOMCLIENTID0000000000000000001"].connections
        self.addCleanup(connections.update, dict(connections))
        connections.clear()
        self.connection._xero_forget_tokens()
        wizard = self.open_mapping()
        self.assertIn("could not be read now", wizard.read_error)
        self.assertEqual(self.connection.xero_settings_id.refreshed_at, read_before)
        self.assertTrue(wizard.tax_map_ids, "the map still opens")

    def test_only_xero_administrators_open_the_wizard_or_change_a_mapping(self):
        self.open_mapping()
        row = self.tax_row(self.sale_tax)
        user = new_test_user(self.env, "xero_seller", groups="base.group_user,xero_connector.group_xero_user")
        with self.assertRaises(AccessError):
            self.connection.with_user(user).action_open_mapping()
        with self.assertRaises(AccessError):
            row.with_user(user).xero_tax_type = "NONE"
        with self.assertRaises(AccessError):
            self.env["xero.tax.map"].with_user(user).create({"connection_id": self.connection.id,
                                                             "tax_id": self.tax("New", 15.0).id})
        with self.assertRaises(AccessError):
            self.env["xero.mapping.wizard"].with_user(user).create({"connection_id": self.connection.id})
        self.assertEqual(row.with_user(user).xero_tax_type, "OUTPUT2", "they may read it (orders use it)")
        admin = new_test_user(self.env, "xero_admin", groups="base.group_user,xero_connector.group_xero_admin")
        self.connection.with_user(admin).action_open_mapping()
        row.with_user(admin).xero_tax_type = "NONE"


@tagged("post_install", "-at_install")
class TestItemsFollowTheMapping(MappingCase):
    def test_a_category_mapped_to_an_account_gives_its_products_that_account(self):
        category = self.env["product.category"].create({"name": "Services (test)"})
        self.env["xero.category.map"].create({"connection_id": self.connection.id, "categ_id": category.id,
                                              "xero_account_code": "4000"})
        product = self.product("Consulting", default_code="CONSULT", categ_id=category.id,
                               property_account_income_id=False)
        self.push_items()
        self.assertEqual(self.item_link(product).state, "synced", self.item_link(product).error)
        self.assertEqual(self.xero_item("CONSULT")["SalesDetails"]["AccountCode"], "4000")

    def test_an_item_mapped_to_an_archived_account_is_stopped_before_xero(self):
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": self.income.id,
                                             "xero_account_code": "250"})
        product = self.product("Old Line Beans", default_code="OLDLINE")
        self.fake.reset_requests()
        self.push_items()
        link = self.item_link(product)
        self.assertEqual(link.state, "error")
        self.assertIn("Old Line Beans", link.error)
        self.assertIn("250 is archived", link.error)
        self.assertFalse([r for r in self.fake.requests if r.method in ("PUT", "POST")], "nothing written")


@tagged("post_install", "-at_install")
class TestTermsFollowTheMapping(MappingCase):
    def test_a_customer_s_payment_terms_go_to_xero_as_mapped_and_come_back(self):
        self.env["xero.payment.term.map"].create({"connection_id": self.connection.id,
                                                  "payment_term_id": self.term_30.id,
                                                  "xero_day": 20, "xero_type": "OFFOLLOWINGMONTH"})
        partner = self.customer("Terms Ltd", property_payment_term_id=self.term_30.id)
        later = self.customer("Terms Later Ltd")
        self.push()
        contact = next(c for c in self.contacts() if c["Name"] == "Terms Ltd")
        self.assertEqual(contact["PaymentTerms"]["Sales"], {"Day": 20, "Type": "OFFOLLOWINGMONTH"})
        # Set in Xero on another customer: the mapped terms come back, not an evident lookalike.
        self.xero_save({"ContactID": self.link(later).xero_contact_id,
                        "PaymentTerms": {"Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"}}}, create=False)
        self.pull()
        self.assertEqual(later.property_payment_term_id, self.term_30)
        self.assertEqual(partner.property_payment_term_id, self.term_30)

    def test_the_invoice_due_date_follows_the_mapped_terms(self):
        self.env["xero.payment.term.map"].create({"connection_id": self.connection.id,
                                                  "payment_term_id": self.term_30.id,
                                                  "xero_day": 20, "xero_type": "OFFOLLOWINGMONTH"})
        order = self.order(payment_term_id=self.term_30.id, date_order=datetime.datetime(2026, 1, 15, 10, 0))
        run = self.env["xero.test.run"].create({"connection_id": self.connection.id,
                                                "order_ids": [Command.set(order.ids)]})
        run.action_preview()
        payload = json.loads(run.line_ids.payload)
        self.assertEqual((payload["Date"], payload["DueDate"]), ("2026-01-15", "2026-02-20"))


@tagged("post_install", "-at_install")
class TestTrackingFollowsTheMapping(MappingCase):
    def test_an_analytic_plan_named_as_a_tracking_category_goes_as_its_options(self):
        plan = self.env["account.analytic.plan"].create({"name": "Region"})
        north = self.env["account.analytic.account"].create({"name": "North", "plan_id": plan.id})
        east = self.env["account.analytic.account"].create({"name": "East", "plan_id": plan.id})
        self.open_mapping()
        row = self.env["xero.tracking.map"].search([("connection_id", "=", self.connection.id),
                                                    ("plan_id", "=", plan.id)])
        self.assertEqual(row.xero_category, "Region", "proposed by its name")
        self.assertIn("East", row.problem, "Xero's Region has no East")
        order = self.order()
        order.order_line.analytic_distribution = {str(north.id): 100}
        run = self.env["xero.test.run"].create({"connection_id": self.connection.id,
                                                "order_ids": [Command.set(order.ids)]})
        run.action_preview()
        line = json.loads(run.line_ids.payload)["LineItems"][0]
        self.assertEqual(line["Tracking"], [{"Name": "Region", "Option": "North"}])
        order.order_line.analytic_distribution = {str(east.id): 100}
        warned = [p for p in order._xero_preflight(self.connection) if p["field"] == "analytic_distribution"]
        self.assertEqual([p["level"] for p in warned], ["warn"])
        self.assertIn("East", warned[0]["message"])


@tagged("post_install", "-at_install")
class TestSavingTheMapping(MappingCase):
    def test_saving_a_changed_map_sends_again_what_it_changes_and_what_it_stopped(self):
        kept = self.product("Kept Beans", default_code="KEPT")
        moved = self.product("Moved Beans", default_code="MOVED", property_account_income_id=False)
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": self.income.id,
                                             "xero_account_code": "250"})
        self.push_items()
        self.assertEqual(self.item_link(kept).state, "error", "stopped: 250 is archived")
        self.assertEqual(self.item_link(moved).state, "synced")
        wizard = self.open_mapping()
        row = wizard.account_map_ids.filtered(lambda r: r.account_id == self.income)
        row.xero_account_code = "200"
        self.assertFalse("AccountCode" in self.xero_item("MOVED")["SalesDetails"], "its category's account had none")
        wizard.action_save()
        self.assertEqual(self.item_link(kept).state, "pending", "the fixed map lets it go")
        self.assertEqual(self.item_link(moved).state, "pending", "its category's income account is mapped now")
        self.fake.reset_requests()
        self.push_items()
        self.assertEqual(self.xero_item("KEPT")["SalesDetails"]["AccountCode"], "200")
        self.assertEqual(self.xero_item("MOVED")["SalesDetails"]["AccountCode"], "200")

    def test_saving_an_unchanged_map_sends_nothing_again(self):
        self.product("Quiet Beans", default_code="QUIET")
        self.push_items()
        wizard = self.open_mapping()
        wizard.action_save()
        wizard = self.open_mapping()
        wizard.action_save()
        self.assertFalse(self.ItemLink.search([("connection_id", "=", self.connection.id),
                                               ("state", "=", "pending")]))


@tagged("post_install", "-at_install")
class TestMappingCompanies(MappingCase):
    def test_a_branch_maps_and_uses_its_parent_s_taxes(self):
        branch = self.env["res.company"].create({"name": "Branch (test)", "parent_id": self.env.company.id})
        self.env.user.company_ids |= branch
        tenant_id = self.fake.add_tenant("Branch org (test)")
        self.fake.add_app("app-branch", "branch-secret", tenants=[tenant_id], custom=True)
        connection = self.env["xero.connection"].create({"name": "Branch", "client_id": "app-branch",
                                                         "client_secret": "branch-secret", "company_id": branch.id})
        connection.action_connect()
        self.open_mapping(connection)
        self.assertEqual(self.tax_row(self.sale_tax, connection).xero_tax_type, "OUTPUT2")
        order = self.env["sale.order"].with_company(branch).create({
            "partner_id": self.customer_co.id, "company_id": branch.id,
            "order_line": [Command.create({"product_id": self.product("Beans").id, "product_uom_qty": 1,
                                           "tax_id": [Command.set(self.sale_tax.ids)]})]})
        self.assertFalse([p for p in order._xero_preflight(connection) if p["field"] == "tax_id"])

    def test_another_company_sees_neither_the_map_nor_xero_s_settings(self):
        self.open_mapping()
        other, connection, _tenant = self.connected_company("Other Co", "AUD")
        self.tax("GST 10%", 10.0, company=other)
        sales = self.env["account.account"].create({"name": "Sales AU", "code": "41000", "account_type": "income",
                                                    "company_ids": [Command.set(other.ids)]})
        self.env["xero.account.map"].create({"connection_id": connection.id, "account_id": sales.id,
                                             "xero_account_code": "200"})
        self.open_mapping(connection)
        user = new_test_user(self.env, "other_admin", groups="base.group_user,xero_connector.group_xero_admin",
                             company_id=other.id, company_ids=[Command.set(other.ids)])
        for model in ("xero.tax.map", "xero.account.map", "xero.payment.term.map", "xero.account", "xero.tax.rate",
                      "xero.org.settings"):
            seen = self.env[model].with_user(user).search([]).mapped("connection_id")
            self.assertEqual(seen, connection, model)

    def test_a_test_run_takes_only_its_company_s_records(self):
        other, connection, _tenant = self.connected_company("Far Co", "AUD")
        stranger = self.env["res.partner"].create({"name": "Far Customer", "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "Far Customer belongs to Far Co"):
            self.env["xero.test.run"].create({"connection_id": self.connection.id,
                                              "partner_ids": [Command.set(stranger.ids)]})

    def test_settings_older_than_six_hours_are_read_again_by_the_item_sync(self):
        settings = self.connection.xero_settings_id
        settings.refreshed_at = settings.refreshed_at - datetime.timedelta(hours=7)
        self.product("Stale Beans", default_code="STALE")
        self.fake.reset_requests()
        self.push_items()
        self.assertTrue([r for r in self.fake.requests if r.method == "GET" and r.path.endswith("/TaxRates")])
        self.assertGreater(self.connection.xero_settings_id.refreshed_at,
                           fields.Datetime.now() - datetime.timedelta(minutes=5))
