"""The health check: duplicates planted in Xero, customers sharing a contact, invoices and contacts
changed in Xero behind Odoo's back (and their fixes), records in error, the quota, Xero out of
reach; the report, its scheduled run, who is told and who may read it."""
import json

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.xero_connector.xero import retry
from odoo.addons.xero_connector.xero.batch import WriteItem
from odoo.addons.xero_connector.xero.quota import Limits

from .orders_common import OrdersCase

LINE_KEYS = ("LineItemID", "Description", "Quantity", "UnitAmount", "ItemCode", "AccountCode", "TaxType")


@tagged("post_install", "-at_install")
class TestHealthCheck(OrdersCase):
    def setUp(self):
        super().setUp()
        self.params.set_param("xero_connector.health_sample", "20")

    # -- helpers ------------------------------------------------------------------------------------
    def check(self, user=None):
        connection = self.connection.with_user(user) if user else self.connection
        action = connection.action_health_check()
        self.env.flush_all()
        self.assertEqual(action["res_model"], "xero.health.report")
        return self.env["xero.health.report"].browse(action["res_id"])

    def findings(self, report, category):
        return report.finding_ids.filtered(lambda f: f.category == category)

    def api_gets(self, collection):
        """GET requests to an Accounting API collection (e.g. "Contacts") since the last reset."""
        return [r for r in self.fake.requests
                if r.method == "GET" and r.path.split("?")[0].rstrip("/").endswith("/" + collection)]

    def xero_update_invoice(self, payload):
        """Change an invoice in Xero as a Xero user would (POST, over HTTP), behind Odoo's back."""
        with self.connection._xero_session() as client:
            [result] = client.save("Invoices", [WriteItem(0, payload, json.dumps(payload, sort_keys=True))])
        self.assertTrue(result.ok, result.errors)

    def sent_order(self, partner=None):
        order = self.confirmed(partner=partner)
        self.send(order)
        self.assertTrue(order.xero_invoice_id, "the order reached Xero")
        self.assertEqual(order.xero_sync_state, "sent")
        return order

    # -- a healthy organisation -----------------------------------------------------------------
    def test_a_healthy_organisation_has_no_findings_and_the_check_spends_few_calls(self):
        orders = self.sent_order() | self.sent_order(self.customer("Harbour Cafe"))
        self.fake.reset_requests()
        report = self.check()
        self.assertEqual(report.state, "healthy", report.summary)
        self.assertFalse(report.finding_ids, report.finding_ids.mapped("message"))
        self.assertIn("healthy", report.summary)
        self.assertIn("invoices compared: 2; customers compared: 2; differing from Xero: none.", report.summary)
        self.assertIn("Records in error: none.", report.summary)
        self.assertIn("Webhooks: off", report.summary)
        self.assertEqual(report.connection_id, self.connection)
        self.assertEqual(report.company_id, self.connection.company_id)
        # One read of the invoices by ids, one of the contacts by ids, one page of all contacts.
        self.assertEqual(len(self.api_gets("Invoices")), 1)
        self.assertEqual(len(self.api_gets("Contacts")), 2)
        self.assertEqual([r for r in self.fake.requests if r.method != "GET"], [])
        self.assertEqual(len(orders), 2)

    def test_the_spot_check_reads_its_sample_by_ids_in_one_call(self):
        self.params.set_param("xero_connector.health_sample", "3")
        for index in range(5):
            self.sent_order(self.customer("Customer %d Ltd" % index))
        self.fake.reset_requests()
        report = self.check()
        self.assertIn("invoices compared: 3; customers compared: 3;", report.summary)
        [invoices] = self.api_gets("Invoices")
        by_ids = [r for r in self.api_gets("Contacts") if _ids(r)]
        self.assertEqual(len(by_ids), 1)
        self.assertEqual((len(_ids(invoices)), len(_ids(by_ids[0]))), (3, 3))

    # -- 1. duplicates in Xero ------------------------------------------------------------------
    def test_possible_duplicate_contacts_planted_in_xero_are_found(self):
        ids = self.xero_save({"Name": "Harbour Cafe Ltd"}, {"Name": "Harbour Cafe Limited"},
                             {"Name": "Kiwi Books", "EmailAddress": "accounts@kiwibooks.example"},
                             {"Name": "Kiwi Books and Stationery", "EmailAddress": "Accounts@KiwiBooks.example"},
                             {"Name": "Pohutukawa Florists", "TaxNumber": "123-456-789"},
                             {"Name": "P. Florist", "TaxNumber": "123456789"},
                             {"Name": "Alone Ltd", "EmailAddress": "alone@example.com"},
                             {"Name": "Old Harbour Cafe"})
        # An archived namesake is how Xero retires a duplicate: not one.
        self.xero_save({"ContactID": ids[-1], "Name": "Harbour Cafe", "ContactStatus": "ARCHIVED"}, create=False)
        self.fake.reset_requests()
        report = self.check()
        # Read as summaries, a thousand a page: one call here.
        [listing] = self.api_gets("Contacts")
        query = {key.lower(): values[0] for key, values in listing.query.items()}
        self.assertEqual((query.get("summaryonly", "").lower(), query.get("pagesize")), ("true", "1000"))
        found = self.findings(report, "duplicates")
        self.assertEqual(len(found), 3, found.mapped("message"))
        self.assertEqual(report.state, "attention")
        by_text = {f.message: f for f in found}
        harbour = next(f for text, f in by_text.items() if "Harbour Cafe Ltd" in text)
        self.assertIn("Harbour Cafe Limited", harbour.message)
        self.assertIn("similar name", harbour.message)
        self.assertNotIn("Old Harbour", harbour.message)
        self.assertTrue(any("same e-mail address" in text and "Kiwi Books and Stationery" in text for text in by_text))
        self.assertTrue(any("same tax number" in text and "P. Florist" in text for text in by_text))
        short_code = self.fake.tenant(self.tenant_id).organisation["ShortCode"]
        self.assertTrue(harbour.xero_url.startswith("https://go.xero.com/app/%s/contacts/contact/" % short_code))
        self.assertIn(harbour.xero_url.rsplit("/", 1)[1], ids[:2])
        self.assertEqual(harbour.action_open()["url"], harbour.xero_url)
        self.assertIn("3 groups among", report.summary)

    # -- 2. customers sharing a contact ----------------------------------------------------------
    def test_two_customers_linked_to_one_xero_contact_are_found(self):
        first, second = self.customer("Kiwi Traders North"), self.customer("Kiwi Traders (old)")
        self.env["xero.partner.link"]._push_now(first | second, self.connection)
        self.assertTrue(self.link(first).xero_contact_id and self.link(second).xero_contact_id)
        # Xero's ids compare in any case: the second is linked to the first's contact.
        self.link(second).xero_contact_id = self.link(first).xero_contact_id.upper()
        report = self.check()
        [finding] = self.findings(report, "shared_contact")
        self.assertIn("Kiwi Traders North", finding.message)
        self.assertIn("Kiwi Traders (old)", finding.message)
        action = finding.action_open()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(self.env["res.partner"].search(action["domain"]), first | second)

    # -- 3. drift ---------------------------------------------------------------------------------
    def test_an_invoice_changed_in_xero_behind_odoo_s_back_is_found_and_resync_fixes_it(self):
        order = self.sent_order()
        invoice = self.xero_invoice(order)
        [other] = self.xero_save({"Name": "Someone Else Ltd"})
        lines = [{k: line[k] for k in LINE_KEYS if k in line} for line in invoice["LineItems"]]
        lines[0]["Quantity"] = lines[0]["Quantity"] + 3
        self.xero_update_invoice({"InvoiceID": invoice["InvoiceID"], "Contact": {"ContactID": other},
                                  "LineItems": lines})
        changed = self.xero_invoice(order)
        self.assertNotEqual(changed["Total"], order.amount_total)

        report = self.check()
        [drift] = self.findings(report, "drift")
        self.assertEqual((drift.res_model, drift.res_id, drift.fix), ("sale.order", order.id, "resync"))
        self.assertIn(order.name, drift.message)
        self.assertIn("Someone Else Ltd", drift.message)
        self.assertIn("customer", drift.message)
        self.assertIn("total", drift.message)
        self.assertIn("invoicing/view/%s" % invoice["InvoiceID"], drift.xero_url)
        self.assertEqual(report.state, "attention")

        drift.action_fix()
        self.env.flush_all()
        fixed = self.xero_invoice(order)
        self.assertEqual(fixed["Total"], order.amount_total)
        self.assertEqual(fixed["Contact"]["ContactID"], self.link(self.customer_co).xero_contact_id)
        self.assertTrue(drift.fixed)
        again = self.check()
        self.assertFalse(self.findings(again, "drift"), again.finding_ids.mapped("message"))
        self.assertEqual(again.state, "healthy", again.summary)

    def test_an_order_changed_in_odoo_and_never_sent_again_is_found(self):
        order = self.sent_order()
        # A change the sync never heard of (written as if it came from Xero: no link goes pending).
        order.order_line[0].with_context(xero_pull=True).price_unit += 100
        self.assertEqual(order.xero_sync_state, "sent")
        report = self.check()
        [drift] = self.findings(report, "drift")
        self.assertIn("the order's total", drift.message)
        self.assertEqual(drift.fix, "resync", "a draft in Xero: Odoo's version is sent again")
        drift.action_fix()
        self.env.flush_all()
        self.assertEqual(self.xero_invoice(order)["Total"], order.amount_total)
        self.assertFalse(self.findings(self.check(), "drift"))

    def test_an_invoice_approved_in_xero_unseen_by_odoo_is_found_and_read_again(self):
        order = self.sent_order()
        self.xero_update_invoice({"InvoiceID": order.xero_invoice_id, "Status": "AUTHORISED"})
        self.assertEqual(order.xero_status, "DRAFT", "Odoo has not read it yet")
        report = self.check()
        [drift] = self.findings(report, "drift")
        self.assertIn("Awaiting payment in Xero, Draft in Odoo", drift.message)
        self.assertEqual(drift.fix, "refresh", "Xero's own fact: read again, not overwritten")
        drift.action_fix()
        self.env.flush_all()
        self.assertEqual(order.xero_status, "AUTHORISED")
        self.assertEqual(order.xero_sync_state, "sent")
        self.assertFalse(self.findings(self.check(), "drift"))

    def test_a_contact_changed_in_xero_unseen_by_odoo_is_found_and_read_again(self):
        partner = self.customer("Pohutukawa Florists", email="hello@pohutukawa.example")
        self.env["xero.partner.link"]._push_now(partner, self.connection)
        link = self.link(partner)
        self.xero_save({"ContactID": link.xero_contact_id, "EmailAddress": "orders@pohutukawa.example"}, create=False)
        report = self.check()
        [drift] = self.findings(report, "drift")
        self.assertEqual((drift.res_model, drift.res_id, drift.fix), ("res.partner", partner.id, "refresh"))
        self.assertIn("Pohutukawa Florists", drift.message)
        self.assertIn("e-mail", drift.message)
        drift.action_fix()
        self.env.flush_all()
        self.assertEqual(partner.email, "orders@pohutukawa.example", "only Xero changed: Xero's value wins")
        self.assertFalse(self.findings(self.check(), "drift"))

    def test_a_change_in_odoo_the_sync_missed_is_found_and_resync_sends_it(self):
        partner = self.customer("Tui Bakery", phone="+64 9 555 0101")
        self.env["xero.partner.link"]._push_now(partner, self.connection)
        link = self.link(partner)
        # Changed without the sync noticing (as by SQL or an import that skipped the ORM's hooks).
        self.env.cr.execute("UPDATE res_partner SET phone = '+64 9 555 0199' WHERE id = %s", (partner.id,))
        partner.invalidate_recordset(["phone"])
        self.assertEqual(link.state, "synced")
        [drift] = self.findings(self.check(), "drift")
        self.assertEqual(drift.fix, "resync")
        self.assertIn("phone numbers", drift.message)
        drift.action_fix()
        self.env.flush_all()
        phones = {p["PhoneType"]: p.get("PhoneNumber") for p in self.xero_contact(link.xero_contact_id)["Phones"]}
        self.assertIn("555 0199", phones["DEFAULT"])
        self.assertFalse(self.findings(self.check(), "drift"))

    # -- 4. records in error ----------------------------------------------------------------------
    def test_records_in_error_are_counted_per_object(self):
        first, second = self.customer("Refused One"), self.customer("Refused Two")
        self.env["xero.partner.link"]._ensure_links(first | second, self.connection)
        (self.link(first) | self.link(second)).mark_error("Xero refused it: the e-mail is not valid.")
        report = self.check()
        [finding] = self.findings(report, "errors")
        self.assertIn("Customers: 2 records could not be synced", finding.message)
        self.assertIn("Records in error: 2.", report.summary)
        action = finding.action_open()
        self.assertEqual(action["res_model"], "xero.sync.error", "opens Xero → Sync errors")
        self.assertCountEqual(self.env[action["res_model"]].search(action["domain"]).mapped("record"), [first, second])

    # -- 5. quota, 6. connection and webhook ------------------------------------------------------
    def test_a_spent_quota_is_said_and_what_needs_xero_is_reported_as_not_checked(self):
        self.sent_order()
        self.patch(type(self.connection), "_xero_limits",
                   lambda connection: Limits(minute=100000, day=100, daily_reserve=95))
        self.fake.reset_requests()
        report = self.check()
        self.assertEqual(self.fake.requests, [], "the background budget is spent: no call")
        [quota] = self.findings(report, "quota")
        self.assertIn("of the 5 Xero calls", quota.message)
        self.assertIn("Not checked: the spot check of invoices", report.summary)
        self.assertIn("Not checked: possible duplicate contacts in Xero", report.summary)
        self.assertEqual(report.state, "attention")

    def test_xero_out_of_reach_gives_a_report_of_what_could_not_be_checked(self):
        self.patch(retry.RetryPolicy, "__init__", _quick_retries)
        self.sent_order()
        self.fake.faults.add("drop", times=1000)
        self.addCleanup(self.fake.faults.clear)
        self.fake.reset_requests()
        report = self.check()
        self.assertEqual(report.state, "attention", report.summary)
        [unreachable] = self.findings(report, "connection")
        self.assertIn("Xero could not be reached since", unreachable.message)
        self.assertIn("Not checked: the spot check of invoices", report.summary)
        self.assertIn("Not checked: the spot check of customers", report.summary)
        self.assertIn("Not checked: possible duplicate contacts in Xero", report.summary)
        self.assertIn("Records in error: none.", report.summary, "what Odoo knows is still checked")
        self.assertFalse(self.api_gets("Contacts"), "the checks after the first failure are not tried")
        self.fake.faults.clear()
        self.assertEqual(self.check().state, "healthy")

    def test_a_connection_that_does_not_work_and_a_silent_webhook_are_said(self):
        self.connection.sudo().webhook_key = "a-webhook-key"
        self.connection._xero_forget_tokens()
        self.fake.reset_requests()
        report = self.check()
        [connection] = self.findings(report, "connection")
        self.assertIn("does not work", connection.message)
        self.assertEqual(connection.action_open()["res_id"], self.connection.id)
        [webhook] = self.findings(report, "webhook")
        self.assertEqual(webhook.severity, "info")
        self.assertIn("not delivered any change", webhook.message)
        self.assertEqual(self.fake.requests, [], "not connected: Xero is not called")
        self.assertIn("Not checked: the spot check of invoices (the connection to Xero does not work)",
                      report.summary)

    # -- the report: scheduled, sent, protected -------------------------------------------------
    def test_the_monthly_scheduled_action_checks_every_connected_organisation(self):
        cron = self.env.ref("xero_connector.ir_cron_xero_health")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        Report = self.env["xero.health.report"]
        before = Report.search([("connection_id", "=", self.connection.id)])
        cron.method_direct_trigger()
        after = Report.search([("connection_id", "=", self.connection.id)]) - before
        self.assertEqual(len(after), 1)
        self.assertEqual(after.state, "healthy", after.summary)

    def test_the_report_is_sent_to_the_xero_administrators(self):
        admin = self.user("Ada Admin", "ada-health", "xero_connector.group_xero_admin")
        gone = self.user("Gus Gone", "gus-health", "xero_connector.group_xero_admin")
        gone.active = False
        seller = self.user("Sam Seller", "sam-health", "sales_team.group_sale_salesman")
        report = self.check()
        message = report.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn(admin.partner_id, message.partner_ids)
        self.assertIn(admin.partner_id, message.notified_partner_ids)
        self.assertNotIn(gone.partner_id, message.partner_ids)
        self.assertNotIn(seller.partner_id, message.partner_ids)
        self.assertIn("healthy", message.body)

    def test_a_plain_user_cannot_read_reports_nor_run_the_check(self):
        refused = self.customer("Refused Ltd")
        self.env["xero.partner.link"]._ensure_links(refused, self.connection)
        self.link(refused).mark_error("Xero refused it.")
        report = self.check()
        self.assertTrue(report.finding_ids)
        plain = self.user("Pat Plain", "pat-health", "base.group_user", "xero_connector.group_xero_user")
        with self.assertRaises(AccessError):
            report.with_user(plain).read(["summary"])
        with self.assertRaises(AccessError):
            report.finding_ids.with_user(plain).read(["message"])
        with self.assertRaises(AccessError):
            self.connection.with_user(plain).action_health_check()
        admin = self.user("Ada Admin", "ada-health2", "xero_connector.group_xero_admin")
        self.assertEqual(report.with_user(admin).read(["state"])[0]["state"], "attention")

    def test_another_company_s_administrator_does_not_see_the_report(self):
        report = self.check()
        other = self.env["res.company"].create({"name": "Other company (health)"})
        admin = self.env["res.users"].create({
            "name": "Otto Other", "login": "otto-health", "company_id": other.id,
            "company_ids": [Command.set(other.ids)],
            "groups_id": [Command.set(self.env.ref("xero_connector.group_xero_admin").ids)]})
        self.assertFalse(self.env["xero.health.report"].with_user(admin).search([("id", "=", report.id)]))
        self.assertFalse(self.env["xero.health.finding"].with_user(admin).search([("report_id", "=", report.id)]))


def _ids(request):
    """The ids a GET asked for (Xero's IDs parameter), [] for none."""
    query = {key.lower(): values for key, values in request.query.items()}
    return [i for value in query.get("ids", []) for i in value.split(",") if i]


def _quick_retries(policy, attempts=2, initial=0.01, maximum=0.05):
    policy.attempts, policy.initial, policy.maximum = attempts, initial, maximum
