"""The error log (Xero → Sync errors): every record whose sync failed, with its reason; what waits
for a fix and what is retried by itself; Resync on one row or many; the count in the settings and
in the administrators' menu; each company its own. Through the scheduled push and the fake Xero."""
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.xero_connector.sync.engine import push as engine_push, registry
from odoo.addons.xero_connector.xero import retry

from .items_common import ItemsCase

SECOND_ID = "ERRORSCLIENTID000000000000000003"
SECOND_SECRET = "errors-second-connection-secret"
XERO_REASON = "Email address must be valid."


def _quick_retries(policy, attempts=2, initial=0.01, maximum=0.05):
    policy.attempts, policy.initial, policy.maximum = attempts, initial, maximum


@tagged("post_install", "-at_install")
class TestSyncErrors(ItemsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "xero_errors_admin",
                                  groups="base.group_user,xero_connector.group_xero_admin",
                                  company_id=cls.env.company.id, company_ids=[cls.env.company.id])
        cls.salesman = new_test_user(cls.env, "xero_errors_salesman",
                                     groups="base.group_user,sales_team.group_sale_salesman",
                                     company_id=cls.env.company.id, company_ids=[cls.env.company.id])
        cls.menu = cls.env.ref("xero_connector.menu_xero_sync_errors")

    def setUp(self):
        super().setUp()
        # The client's own retries (five, seconds apart) are not what is tested here.
        self.patch(retry.RetryPolicy, "__init__", _quick_retries)
        self.addCleanup(self.fake.faults.clear)
        self.Errors = self.env["xero.sync.error"].with_user(self.admin)

    # -- helpers -------------------------------------------------------------------------------
    def xero_refuses_bad_emails(self):
        """Odoo's own check of e-mails switched off: Xero's is the one that refuses."""
        self.patch(registry.get("contacts").mapper, "problems", lambda values: [])

    def push_all(self):
        self.env["xero.sync.state"]._cron_push(["contacts", "items"])
        self.env.flush_all()

    def rows(self, *recordsets):
        """The administrator's rows of these records."""
        return self.Errors.search([("record", "in", ["%s,%s" % (r._name, r.id) for rs in recordsets for r in rs])])

    def records(self, rows):
        """The records of these rows (one recordset each)."""
        return {row.record for row in rows}

    def menu_name(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        return menus[self.menu.id]["name"] if self.menu.id in menus else None

    # -- what waits, what is retried ------------------------------------------------------------
    def test_a_record_xero_refuses_is_listed_with_its_reason_and_waits_for_a_fix(self):
        self.xero_refuses_bad_emails()
        bad, good = self.customer("Bad Mail Ltd", email="not an address"), self.customer("Good Mail Ltd")
        self.assertFalse(self.rows(bad), "not failed yet: pending is not an error")
        self.push_all()
        row = self.rows(bad)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.object, row.record, row.connection_id, row.company_id),
                         ("contacts", bad, self.connection, self.env.company))
        self.assertEqual(dict(row._fields["object"]._description_selection(self.env))["contacts"], "Customers")
        self.assertEqual(row.display_name, "Bad Mail Ltd")
        self.assertIn("Xero refused", row.error)
        self.assertIn(XERO_REASON, row.error)
        self.assertEqual((row.attempts, row.next_retry, row.status, row.needs_review), (1, False, "waiting", False))
        self.assertTrue(row.last_attempt)
        self.assertFalse(self.rows(good), "the rest of the batch went through")
        self.assertEqual(self.Errors.search([("status", "=", "waiting")]), row, "the filter 'waiting for a fix'")

        self.fake.reset_requests()
        self.push_all()
        self.assertFalse(self.writes(), "the scheduled push does not send it again as it is")
        self.assertEqual(self.rows(bad).attempts, 1)

        bad.email = "fixed@example.com"  # fixed in Odoo: its next change sends it again
        self.assertFalse(self.rows(bad), "pending again: out of the log")
        self.push_all()
        self.assertEqual(self.link(bad).state, "synced", self.link(bad).error)
        self.assertEqual(len(self.in_xero("Bad Mail Ltd")), 1)
        self.assertFalse(self.rows(bad))

    def test_xero_down_is_retried_after_the_wait_then_the_row_leaves_the_log(self):
        partner = self.customer("Busy Day Ltd")
        self.fake.faults.add("503", path="/Contacts", times=100)
        start = fields.Datetime.now()
        self.push_all()
        row = self.rows(partner)
        self.assertEqual((row.status, row.attempts), ("retrying", 1))
        self.assertIn("tried again automatically", row.error)
        self.assertGreater(row.next_retry, start)
        self.assertEqual(self.Errors.search([("status", "=", "retrying")]), row, "the filter 'retrying by itself'")
        cron = self.env.ref("xero_connector.ir_cron_xero_push")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).mapped("call_at")
        self.assertIn(row.next_retry, triggers, "the scheduled push is called again when the record is due")

        self.fake.faults.clear()  # Xero is back
        self.fake.reset_requests()
        self.push_all()
        self.assertFalse(self.writes(), "not before its time")
        self.assertEqual(self.rows(partner).id, row.id, "the same row: its id is stable")

        link = self.link(partner)
        link.next_retry = fields.Datetime.now() - timedelta(seconds=1)  # the wait is over
        self.push_all()
        self.assertEqual((link.state, link.attempts), ("synced", 0), link.error)
        self.assertEqual(len(self.in_xero("Busy Day Ltd")), 1)
        self.assertFalse(self.rows(partner), "out of the log")

    # -- Resync ---------------------------------------------------------------------------------
    def test_resync_of_one_row_sends_that_record_only(self):
        first, second = self.customer("Resync One Ltd"), self.customer("Resync Two Ltd")
        self.fake.faults.add("503", path="/Contacts", times=100)
        self.push_all()
        self.assertEqual(len(self.rows(first, second)), 2)
        self.fake.faults.clear()

        answer = self.rows(first).action_resync()
        self.assertEqual(answer["params"]["type"], "success")
        self.assertIn("1 sent to Xero", answer["params"]["message"])
        self.assertEqual(self.link(first).state, "synced", self.link(first).error)
        self.assertEqual(len(self.in_xero("Resync One Ltd")), 1)
        self.assertFalse(self.in_xero("Resync Two Ltd"), "not selected: left to its automatic retry")
        self.assertEqual(self.records(self.rows(first, second)), set(second))

    def test_resync_of_many_rows_sends_them_all_whatever_their_object(self):
        self.xero_refuses_bad_emails()
        refused = self.customer("Bulk Refused Ltd", email="not an address")
        self.push()  # refused by Xero
        partners = self.customer("Bulk One Ltd") | self.customer("Bulk Two Ltd")
        self.fake.faults.add("503", path="/Contacts", times=100)
        self.push()  # Xero down for contacts
        self.fake.faults.clear()
        products = self.product("Bulk Beans", default_code="BULK-1") | self.product("Bulk Tea", default_code="BULK-2")
        self.fake.faults.add("503", path="/Items", times=100)
        self.push_items()  # and then for items
        rows = self.rows(partners, products, refused)
        self.assertEqual(len(rows), 5)
        self.assertEqual(set(rows.mapped("object")), {"contacts", "items"})
        self.assertEqual(len(set(rows.ids)), 5, "one row per link, ids unique across the link tables")
        self.fake.faults.clear()
        self.fake.reset_requests()

        answer = rows.action_resync()
        self.assertEqual(answer["params"]["type"], "warning", "one is still refused")
        self.assertIn("4 sent to Xero", answer["params"]["message"])
        self.assertIn(XERO_REASON, answer["params"]["message"], "the reason it is still refused")
        for name in ("Bulk One Ltd", "Bulk Two Ltd"):
            self.assertEqual(len(self.in_xero(name)), 1)
        self.assertEqual({i["Code"] for i in self.items()}, {"BULK-1", "BULK-2"})
        self.assertEqual(self.records(self.rows(partners, products, refused)), set(refused))
        sent_again = [r for r in self.writes() if "Bulk Refused Ltd" in str(r.json)]
        self.assertEqual(len(sent_again), 1, "tried once more, and refused again")

    def test_resync_of_more_rows_than_one_click_sends_queues_them(self):
        partners = self.env["res.partner"].create([
            {"name": "Queued %02d Ltd" % i, "is_company": True, "xero_sync": True}
            for i in range(engine_push.INTERACTIVE_LIMIT + 1)])
        self.fake.faults.add("503", path="/Contacts", times=100)
        self.push_all()
        rows = self.rows(partners)
        self.assertEqual(len(rows), len(partners))
        self.fake.faults.clear()
        self.fake.reset_requests()

        answer = rows.action_resync()
        self.assertIn("%s on their way" % len(partners), answer["params"]["message"])
        self.assertFalse(self.writes(), "left to the scheduled push")
        self.assertFalse(self.rows(partners), "pending: out of the log")
        self.push_all()
        self.assertEqual(len([c for c in self.contacts() if c["Name"].startswith("Queued ")]), len(partners))

    # -- the count --------------------------------------------------------------------------------
    def test_the_count_in_the_settings_and_in_the_administrators_menu(self):
        self.xero_refuses_bad_emails()
        partners = self.customer("Count One Ltd", email="bad one") | self.customer("Count Two Ltd", email="bad two")
        self.assertEqual(self.menu_name(self.admin), "Sync errors", "no count when nothing is in error")
        self.push_all()

        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.xero_sync_error_count, 2)
        self.assertEqual(self.env["xero.sync.error"]._xero_error_counts(self.connection), {"contacts": 2})
        action = settings.action_xero_open_sync_errors()
        self.assertEqual(self.records(self.Errors.search(action["domain"])), set(partners))
        listed = self.Errors.web_search_read([], {"object": {}, "record_name": {}, "error": {}, "status": {}})
        self.assertEqual(sorted(r["record_name"] for r in listed["records"]), ["Count One Ltd", "Count Two Ltd"])
        self.assertEqual(self.menu_name(self.admin), "Sync errors (2)")
        self.assertIsNone(self.menu_name(self.salesman), "not an administrator: neither the menu nor its count")
        self.assertNotIn("(2)", str(self.env["ir.ui.menu"].with_user(self.salesman).load_menus(False)))

        partners[0].email = "fixed@example.com"
        self.push_all()
        self.assertEqual(self.menu_name(self.admin), "Sync errors (1)", "counted again, not the cached name")
        partners[1].email = "fixed.too@example.com"
        self.push_all()
        self.assertEqual(self.menu_name(self.admin), "Sync errors")
        self.assertEqual(self.env["res.config.settings"].create({}).xero_sync_error_count, 0)
        self.env["res.config.settings"].get_views([(False, "form")])
        self.Errors.get_views([(False, "list"), (False, "form"), (False, "search")])

    def test_another_company_s_errors_are_not_visible(self):
        self.xero_refuses_bad_emails()
        tenant2 = self.fake.add_tenant("Errors Second Organisation")
        self.fake.add_app(SECOND_ID, SECOND_SECRET, tenants=[tenant2], custom=True)
        company2 = self.env["res.company"].create({"name": "Errors Second Company"})
        connection2 = self.env["xero.connection"].create({
            "name": "Errors second", "company_id": company2.id, "client_id": SECOND_ID,
            "client_secret": SECOND_SECRET, "contacts_linked_at": "2026-01-01 00:00:00"})
        connection2.action_connect()
        ours = self.customer("Ours Bad Ltd", email="bad ours", company_id=self.env.company.id)
        theirs = self.customer("Theirs Bad Ltd", email="bad theirs", company_id=company2.id)
        self.push()
        both = self.env["xero.sync.error"].search([("record", "in", ["res.partner,%s" % ours.id,
                                                                     "res.partner,%s" % theirs.id])])
        self.assertEqual(both.mapped("company_id"), self.env.company | company2)

        self.assertEqual(self.records(self.rows(ours, theirs)), set(ours), "an administrator of the first company only")
        self.assertEqual(self.menu_name(self.admin), "Sync errors (1)")
        self.assertEqual(self.env["xero.sync.error"]._xero_error_counts(connection2), {"contacts": 1})
        self.admin.company_ids |= company2
        self.assertEqual(self.records(self.rows(ours, theirs)), set(ours | theirs), "once given the second company")
        second_only = self.Errors.with_context(allowed_company_ids=[company2.id]).search([])
        self.assertEqual(self.records(second_only), set(theirs))
