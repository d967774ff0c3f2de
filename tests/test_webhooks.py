"""Xero's webhooks through the real route: signed, unsigned, forged, replayed and foreign
deliveries, the intent-to-receive probe, and an event read back onto the order it concerns."""
import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.xero_connector.sync.engine import pull, webhooks as engine_webhooks
from odoo.addons.xero_connector.xero.batch import WriteItem
from odoo.addons.xero_connector.xero_sandbox import webhooks as deliveries

from .orders_common import OrdersCase

KEY = "Y4bjB3QcJ3RyMV2QKbJhbnTEC5jQo4S8eWGr5I3vYB9JkvPLtNHDsG8+oCRzaOwcCcfrRwDPHsoeXYuqUMfSgA=="


@tagged("post_install", "-at_install")
class TestWebhooks(OrdersCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.connection.webhook_key = KEY
        self.Event = self.env["xero.webhook.event"].sudo()
        self.Event.search([]).unlink()

    # -- helpers ----------------------------------------------------------------------------
    def deliver(self, events, key=KEY, signed_with=None, headers=None, path=None):
        body, signed = deliveries.delivery(events, key, signed_with=signed_with)
        if headers is not None:
            signed = headers
        response = self.url_open(path or self.route(), data=body, headers=signed)
        self.env.invalidate_all()
        return response

    def route(self):
        return "/xero_connector/webhook/" + self.connection.webhook_token

    def xero_contacts_saved(self, *payloads, create=False):
        """Contacts created or changed in Xero by a Xero user; returns their IDs."""
        with self.connection._xero_session() as client:
            results = client.save("Contacts", [WriteItem(i, p, json.dumps(p, sort_keys=True))
                                               for i, p in enumerate(payloads)], create_only=create)
        self.assertTrue(all(r.ok for r in results), [r.errors for r in results])
        return [r.xero_id for r in results]

    def xero_contacts_created(self, *names):
        return self.xero_contacts_saved(*({"Name": name} for name in names), create=True)

    def event(self, category, xero_id, tenant=None, **kw):
        return deliveries.event(tenant or self.tenant_id, category, xero_id, **kw)

    def reads(self, collection):
        return [r for r in self.fake.requests if r.method == "GET" and r.path.split("?")[0].endswith("/" + collection)]

    def process(self):
        self.env["xero.webhook.event"]._cron_process()
        self.env.invalidate_all()

    def cron_triggered(self):
        cron = self.env.ref("xero_connector.ir_cron_xero_webhooks")
        return self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])

    def sent_order(self):
        order = self.confirmed()
        self.send(order)
        order.action_xero_approve()
        self.env.flush_all()
        return order

    # -- the address and the signature --------------------------------------------------------
    def test_the_address_is_per_connection_and_unguessable(self):
        other_company = self.env["res.company"].create({"name": "Other Ltd"})
        other = self.env["xero.connection"].create({"name": "Other", "company_id": other_company.id})
        token = self.connection.webhook_token
        self.assertEqual(self.connection.webhook_url.rsplit("/", 1), [
            self.env["ir.config_parameter"].get_param("web.base.url") + "/xero_connector/webhook", token])
        self.assertGreaterEqual(len(token), 32)
        self.assertNotIn(str(self.connection.id), {token, other.webhook_token})
        self.assertNotEqual(token, other.webhook_token)
        self.assertFalse(self.connection.copy({"company_id": other_company.id, "active": False}).webhook_token == token)

    def test_intent_to_receive_probe(self):
        """Xero's check: 200 and an empty body for a correctly signed probe, 401 otherwise; no
        cookie either way."""
        ok = self.deliver([])
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(ok.content, b"")
        self.assertNotIn("Set-Cookie", ok.headers)
        self.assertEqual(self.deliver([], signed_with="another key").status_code, 401)
        self.assertEqual(self.Event.search_count([]), 0)

    def test_unsigned_and_forged_deliveries_are_refused(self):
        contact = [self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000001")]
        self.assertEqual(self.deliver(contact, headers={"Content-Type": "application/json"}).status_code, 401)
        self.assertEqual(self.deliver(contact, signed_with="forged-key").status_code, 401)
        wrong_address = "/xero_connector/webhook/not-a-connection-token"
        self.assertEqual(self.deliver(contact, path=wrong_address).status_code, 401)
        self.connection.webhook_key = False
        self.assertEqual(self.deliver(contact).status_code, 401, "no key saved: nothing is accepted")
        self.assertEqual(self.Event.search_count([]), 0)
        self.assertFalse(self.cron_triggered())

    def test_a_valid_delivery_is_stored_and_starts_the_read(self):
        xero_id = "7c5ac2e4-0000-4000-8000-000000000002"
        response = self.deliver([self.event("CONTACT", xero_id.upper()), self.event("SUBSCRIPTION", "sub-1")])
        self.assertEqual((response.status_code, response.content), (200, b""))
        event = self.Event.search([])
        self.assertEqual((event.category, event.resource_id, event.state), ("CONTACT", xero_id, "new"))
        self.assertTrue(self.cron_triggered())
        self.assertTrue(self.connection.webhook_last_event_at)
        self.assertFalse(self.reads("Contacts"), "nothing is read from Xero while Xero waits for the answer")

    def test_a_replayed_delivery_is_processed_once(self):
        [contact_id] = self.xero_contacts_created("Replay Ltd")
        body, headers = deliveries.delivery([self.event("CONTACT", contact_id)], KEY)
        for _attempt in range(3):
            self.assertEqual(self.url_open(self.route(), data=body, headers=headers).status_code, 200)
        self.assertEqual(self.Event.search_count([]), 1)
        self.fake.reset_requests()
        self.process()
        self.assertEqual(len(self.reads("Contacts")), 1)
        self.assertEqual(self.Event.search([]).state, "done")
        self.assertTrue(self.env["res.partner"].search([("name", "=", "Replay Ltd")]))
        self.fake.reset_requests()
        self.process()
        self.assertFalse(self.reads("Contacts"), "nothing left to read")

    def test_a_burst_of_deliveries_starts_one_read(self):
        for number in range(3):
            self.deliver([self.event("CONTACT", "7c5ac2e4-0000-4000-8000-00000000001%d" % number)])
        self.assertEqual(self.Event.search_count([]), 3)
        self.assertEqual(self.cron_triggered(), 1)

    def test_events_of_another_organisation_are_ignored_and_logged(self):
        other = "0f3a1d6e-1111-4aaa-8bbb-222222222222"
        response = self.deliver([self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000003", tenant=other),
                                 self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000005")])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.Event.search([]).resource_id, "7c5ac2e4-0000-4000-8000-000000000005")
        log = self.env["xero.sync.log"].search([("operation", "=", "webhook")], limit=1)
        self.assertIn("not connected to", log.message)

    def test_a_signed_delivery_that_is_not_one_is_refused_and_logged(self):
        body = b'{"events": [{"eventCategory": "CONTACT"}]}'
        headers = {"x-xero-signature": deliveries.webhooks.signature(body, KEY)}
        self.assertEqual(self.url_open(self.route(), data=body, headers=headers).status_code, 400)
        self.assertTrue(self.env["xero.sync.log"].search([("operation", "=", "webhook")]))
        no_date = [dict(self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000006"), eventDateUtc=None)]
        self.assertEqual(self.deliver(no_date).status_code, 400, "not stored without its date (the key of its once)")
        self.assertEqual(self.Event.search_count([]), 0)

    # -- what the events change in Odoo -------------------------------------------------------
    def test_an_invoice_paid_in_xero_shows_on_the_order(self):
        order = self.sent_order()
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id)
        self.fake.reset_requests()
        self.assertEqual(self.deliver([self.event("INVOICE", order.xero_invoice_id)]).status_code, 200)
        self.process()
        self.assertEqual(order.xero_status, "PAID")
        self.assertTrue(order.xero_paid)
        self.assertIn("is paid", order.message_ids[0].body)
        reads = self.reads("Invoices")
        self.assertEqual(len(reads), 1, "one read for the order and the receivables alike")
        self.assertIn("ids", {key.lower() for key in reads[0].query}, "read by its id, not by the watermark")
        mirror = self.env["xero.invoice"].search([("xero_invoice_id", "=", order.xero_invoice_id)])
        self.assertEqual(mirror.status, "PAID")

    def test_a_contact_changed_in_xero_updates_the_customer(self):
        partner = self.env["res.partner"].create({"name": "Kea Cafe", "email": "kea@example.com"})
        self.env["xero.partner.link"]._push_now(partner, self.connection)
        link = self.env["xero.partner.link"].search([("partner_id", "=", partner.id)])
        self.xero_contacts_saved({"ContactID": link.xero_contact_id, "Name": "Kea Cafe & Bar"})
        self.deliver([self.event("CONTACT", link.xero_contact_id)])
        self.process()
        self.assertEqual(partner.name, "Kea Cafe & Bar")

    def test_many_events_of_a_record_read_it_once_and_events_arriving_meanwhile_wait(self):
        [contact_id] = self.xero_contacts_created("Many Events Ltd")
        self.deliver([self.event("CONTACT", contact_id, event_type=t) for t in ("CREATE", "UPDATE")])
        read_ids = pull.pull_ids

        def read_while_xero_delivers(sync, xero_ids, also=()):
            # Xero announces another change of the record while Odoo is reading it.
            self.assertEqual(self.deliver([self.event("CONTACT", contact_id)]).status_code, 200)
            return read_ids(sync, xero_ids, also)

        self.patch(pull, "pull_ids", read_while_xero_delivers)
        self.fake.reset_requests()
        progress = engine_webhooks.process(self.connection)
        self.assertEqual((progress.done, progress.left), (2, 1), "the change announced meanwhile waits")
        self.assertEqual(len(self.reads("Contacts")), 1)
        self.patch(pull, "pull_ids", read_ids)
        progress = engine_webhooks.process(self.connection)
        self.assertEqual((progress.done, progress.left), (1, 0))
        self.assertEqual(len(self.reads("Contacts")), 2, "read again: the change may be newer than the read")

    def test_a_run_stopped_by_xero_waits_and_one_refused_starts_no_loop(self):
        self.deliver([self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000020")])
        cron = self.env.ref("xero_connector.ir_cron_xero_webhooks")
        Trigger = self.env["ir.cron.trigger"].sudo()
        for retry_at, expected in ((fields.Datetime.now() + timedelta(minutes=5), 1), (None, 0)):
            Trigger.search([]).unlink()
            self.patch(pull, "pull_ids", lambda *_a, retry_at=retry_at, **_k: pull.PullResult(
                stopped=True, retry_at=retry_at))
            self.process()
            self.assertEqual(self.Event.search([]).state, "new")
            triggers = Trigger.search([("cron_id", "=", cron.id)])
            self.assertEqual(len(triggers), expected, "at the time Xero allows; none after a refused connection")
            if expected:
                self.assertEqual(triggers.call_at, retry_at)

    def test_a_wait_for_later_does_not_hold_back_a_new_delivery(self):
        cron = self.env.ref("xero_connector.ir_cron_xero_webhooks")
        cron._trigger(fields.Datetime.now() + timedelta(hours=1))  # another connection waits for its quota
        self.deliver([self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000021")])
        self.assertEqual(self.cron_triggered(), 2)

    def test_xero_out_of_reach_keeps_the_events_for_later(self):
        order = self.sent_order()
        self.deliver([self.event("INVOICE", order.xero_invoice_id)])
        self.fake.faults.add("503", path="/Invoices", method="GET", times=100)
        self.addCleanup(self.fake.faults.clear)
        self.process()
        self.assertEqual(self.Event.search([]).state, "new", "not lost: read when Xero answers again")
        self.fake.faults.clear()
        self.fake.pay_invoice(self.tenant_id, order.xero_invoice_id)
        self.process()
        self.assertEqual(self.Event.search([]).state, "done")
        self.assertTrue(order.xero_paid)

    def test_a_paused_object_reads_nothing(self):
        self.env["xero.sync.state"]._for(self.connection, "contacts").paused = True
        self.deliver([self.event("CONTACT", "7c5ac2e4-0000-4000-8000-000000000004")])
        self.fake.reset_requests()
        self.process()
        self.assertFalse(self.reads("Contacts"))
        self.assertEqual(self.Event.search([]).state, "done", "the pull reads it from the watermark when resumed")

    # -- who sees the key ---------------------------------------------------------------------
    def test_a_plain_user_cannot_read_the_webhook_key(self):
        user = new_test_user(self.env, "webhook-reader", groups="base.group_user,xero_connector.group_xero_user")
        connection = self.connection.with_user(user)
        for field in ("webhook_key", "webhook_key_enc", "webhook_token"):
            with self.assertRaises(AccessError):
                connection.read([field])
        self.assertNotEqual(self.connection.webhook_key_enc, KEY)
        self.assertEqual(self.connection.webhook_key, KEY, "an administrator reads it back")
        with self.assertRaises(AccessError):
            connection.read(["webhook_url"])  # it carries the token
        for field in ("xero_webhook_key", "xero_webhook_url"):
            self.assertEqual(self.env["res.config.settings"]._fields[field].groups, "xero_connector.group_xero_admin")
