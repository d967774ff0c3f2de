"""The engine's error policy, once for every object: the same tests run for customers and for
products. Xero busy or down (transient), the connection refused (auth), a record refused
(validation), the quota spent: what each record and the scheduled action do."""
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.xero_connector.models.xero_link_mixin import MAX_ATTEMPTS
from odoo.addons.xero_connector.sync.engine import pull, registry
from odoo.addons.xero_connector.xero import retry
from odoo.addons.xero_connector.xero.quota import Limits

from .common import CLIENT_ID
from .items_common import ItemsCase


class EnginePolicyTests:
    """The tests; each test class says how to make a good and a bad record of its object. (A
    mixin, not a test case: the test runners must not run it without an object.)"""

    object_name = None
    write_path = None

    def setUp(self):
        super().setUp()
        # The client's own retries (five, seconds apart) are not what is tested here.
        self.patch(retry.RetryPolicy, "__init__", _quick_retries)
        self.cron = self.env.ref("xero_connector.ir_cron_xero_push")

    def run_push_cron(self):
        """The push scheduled action as the cron runner runs it (see test_contacts_push)."""
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        _cron, progress = self.cron._add_progress(timed_out_counter=0)
        self.env["xero.sync.state"].with_context(ir_cron_progress_id=progress.id)._cron_push([self.object_name])
        self.env.flush_all()
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).mapped("call_at")
        return progress, triggers

    def test_xero_down_is_retried_later_by_itself_with_growing_waits(self):
        good = self.good_record("Busy")
        link = self.link_of(good)
        self.fake.faults.add("503", path=self.write_path, times=100)
        self.addCleanup(self.fake.faults.clear)
        start = fields.Datetime.now()
        progress, triggers = self.run_push_cron()
        self.assertEqual((link.state, link.attempts), ("error", 1))
        self.assertIn("tried again automatically", link.error)
        self.assertGreater(link.next_retry, start)
        self.assertEqual((progress.done, progress.remaining), (0, 0), "not called again at once")
        self.assertIn(link.next_retry, triggers, "called again when the record is due")
        first_wait = link.next_retry - start

        link.next_retry = fields.Datetime.now() - timedelta(seconds=1)  # its time has come
        self.run_push_cron()
        self.assertEqual(link.attempts, 2)
        self.assertGreater(link.next_retry - fields.Datetime.now(), first_wait, "waits longer each time")

        link.write({"attempts": MAX_ATTEMPTS - 1, "next_retry": fields.Datetime.now() - timedelta(seconds=1)})
        self.run_push_cron()
        self.assertEqual((link.state, link.next_retry, link.attempts), ("error", False, MAX_ATTEMPTS))
        self.assertIn("Resync", link.error, "bounded: it now waits for a person")

        self.fake.faults.clear()
        link.action_resync()
        self.assertEqual((link.state, link.attempts), ("synced", 0), link.error)
        self.assertEqual(self.count_in_xero("Busy"), 1, "sent once, whatever the tries")

    def test_a_refused_connection_waits_for_an_administrator(self):
        good = self.good_record("Refused")
        connections = self.fake.identity.apps[CLIENT_ID].connections
        self.addCleanup(connections.update, dict(connections))
        connections.clear()  # the organisation removed the app: Xero answers 403
        progress, triggers = self.run_push_cron()
        self.assertEqual(self.link_of(good).state, "pending", "the record is fine: sent when the connection works")
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        self.assertFalse(triggers, "not called again before the next scheduled run")
        log = self.env["xero.sync.log"].search([("connection_id", "=", self.connection.id),
                                                ("model", "=", "xero.connection"), ("result", "=", "error")])
        self.assertTrue(log)
        todo = self.connection.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("xero_connector.mail_activity_type_xero"))
        self.assertTrue(todo, "the administrators have a to-do")

    def test_a_refused_record_waits_for_a_fix_and_the_batch_goes_on(self):
        bad, good = self.bad_record(), self.good_record("Fine")
        progress, _triggers = self.run_push_cron()
        link = self.link_of(bad)
        self.assertEqual((link.state, link.next_retry), ("error", False))
        self.assertIn(bad.display_name, link.error, "names the record")
        self.assertEqual(self.link_of(good).state, "synced")
        self.assertEqual(progress.done, 2)
        self.run_push_cron()
        self.assertEqual(link.attempts, 1, "not retried until it changes")
        self.fix(bad)
        self.assertEqual(link.state, "pending")
        self.run_push_cron()
        self.assertEqual(link.state, "synced", link.error)

    def test_a_record_xero_refuses_names_xero_s_reason_and_waits_for_a_fix(self):
        """Past Odoo's own check (switched off here), Xero itself refuses the record."""
        bad, good = self.record_xero_refuses(), self.good_record("Accepted")
        self.run_push_cron()
        link = self.link_of(bad)
        self.assertEqual((link.state, link.next_retry, link.attempts), ("error", False, 1))
        self.assertIn("Xero refused", link.error)
        self.assertIn(self.xero_reason, link.error)
        self.assertEqual(self.link_of(good).state, "synced", "the rest of the batch went through")
        self.assertEqual(self.count_in_xero("Accepted"), 1)
        log = self.env["xero.sync.log"].search([("res_id", "=", bad.id), ("result", "=", "error")])
        self.assertIn(self.xero_reason, log.message)
        self.fix_for_xero(bad)
        self.run_push_cron()
        self.assertEqual(link.state, "synced", link.error)

    def test_the_pull_of_a_refused_connection_tells_the_administrators_too(self):
        connections = self.fake.identity.apps[CLIENT_ID].connections
        self.addCleanup(connections.update, dict(connections))
        connections.clear()
        state = self.env["xero.sync.state"]._for(self.connection, self.object_name)
        watermark = state.pulled_at
        self.env["xero.sync.state"]._cron_pull([self.object_name])
        self.assertEqual(state.pulled_at, watermark)
        todo = self.connection.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("xero_connector.mail_activity_type_xero"))
        self.assertTrue(todo, "the same policy as the push: the administrators have a to-do")
        self.assertTrue(self.env["xero.sync.log"].search([("model", "=", "xero.connection"), ("result", "=", "error"),
                                                          ("operation", "=", "pull")]))

    def test_records_named_by_id_are_read_whatever_the_watermark(self):
        """The entry the webhooks will call: these records, now."""
        xero_id = self.create_in_xero("Named")
        state = self.env["xero.sync.state"]._for(self.connection, self.object_name)
        tomorrow = fields.Datetime.now() + timedelta(days=1)
        state.pulled_at = tomorrow  # a scheduled pull would not see it
        sync_type = registry.get(self.object_name)
        self.assertEqual(pull.pull_ids(sync_type(self.connection), [xero_id]).done, 1)
        link = self.env[sync_type.link_model].search([(self.id_field, "=", xero_id)])
        self.assertEqual(link.state, "synced")
        self.assertEqual(state.pulled_at, tomorrow, "the watermark stays")

    def test_a_spent_quota_stops_until_the_quota_allows(self):
        good = self.good_record("Quota")
        self.patch(type(self.connection), "_xero_limits",
                   lambda connection: Limits(minute=100000, day=1000, daily_reserve=1000))
        start = fields.Datetime.now()
        progress, triggers = self.run_push_cron()
        link = self.link_of(good)
        self.assertEqual((link.state, link.attempts), ("pending", 0), "not the record's failure")
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        self.assertGreater(min(triggers), start + timedelta(seconds=30))


def _quick_retries(policy, attempts=2, initial=0.01, maximum=0.05):
    policy.attempts, policy.initial, policy.maximum = attempts, initial, maximum


@tagged("post_install", "-at_install")
class TestEnginePolicyContacts(EnginePolicyTests, ItemsCase):
    object_name = "contacts"
    write_path = "/Contacts"
    id_field = "xero_contact_id"
    xero_reason = "Email address must be valid."

    def create_in_xero(self, name):
        return self.xero_save({"Name": "%s Ltd" % name})[0]

    def record_xero_refuses(self):
        # Odoo's own check of e-mails is switched off: Xero's is the one that speaks.
        self.patch(registry.get("contacts").mapper, "problems", lambda values: [])
        return self.bad_record()

    def fix_for_xero(self, partner):
        self.fix(partner)

    def good_record(self, name):
        return self.customer("%s Ltd" % name)

    def bad_record(self):
        return self.customer("Bad Mail Ltd", email="not an address")

    def fix(self, partner):
        partner.email = "fixed@example.com"

    def link_of(self, partner):
        return self.link(partner)

    def count_in_xero(self, name):
        return len(self.in_xero("%s Ltd" % name))


@tagged("post_install", "-at_install")
class TestEnginePolicyItems(EnginePolicyTests, ItemsCase):
    object_name = "items"
    write_path = "/Items"
    id_field = "xero_item_id"
    xero_reason = "Account code '090' is not a valid code for this document."

    def create_in_xero(self, name):
        return self.xero_save_items({"Code": "POL-%s" % name.upper(), "Name": "%s Beans" % name})[0]

    def record_xero_refuses(self):
        """Sold into Xero's bank account 090, mapped so, with Odoo's own check (the preflight)
        switched off: Xero refuses a bank account on an item."""
        self.patch(registry.get("items"), "check", lambda sync, record: [])
        bank = self.env["account.account"].create({"name": "Bank (Xero 090)", "code": "090",
                                                   "account_type": "asset_cash"})
        self.env["xero.account.map"].create({"connection_id": self.connection.id, "account_id": bank.id,
                                             "xero_account_code": "090"})
        return self.product("Bank Beans", default_code="POL-BANK", property_account_income_id=bank.id)

    def fix_for_xero(self, product):
        product.property_account_income_id = self.income

    def good_record(self, name):
        return self.product("%s Beans" % name, default_code="POL-%s" % name.upper())

    def bad_record(self):
        return self.product("Long Code Beans", default_code="L" * 40)

    def fix(self, product):
        product.default_code = "POL-FIXED"

    def link_of(self, product):
        return self.item_link(product)

    def count_in_xero(self, name):
        return len([i for i in self.items() if i["Code"] == "POL-%s" % name.upper()])
