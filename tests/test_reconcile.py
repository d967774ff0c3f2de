"""The weekly reconciliation: what a webhook or the pull's watermark missed (a change, an archive,
a deletion, a void made in Xero "before" the watermark) is found by a full read, in bounded runs
that go on where the last one stopped."""
import calendar
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.xero_connector.models import xero_sync_state_reconcile
from odoo.addons.xero_connector.sync.contacts import ContactSync
from odoo.addons.xero_connector.xero.dates import ms_date
from odoo.addons.xero_connector.xero.quota import Limits

from .orders_common import OrdersCase


def xero_time(when):
    """A naive UTC datetime as Xero writes UpdatedDateUTC."""
    return ms_date(calendar.timegm(when.timetuple()))


@tagged("post_install", "-at_install")
class TestReconcile(OrdersCase):
    def setUp(self):
        super().setUp()
        self.State = self.env["xero.sync.state"]
        self.cron = self.env.ref("xero_connector.ir_cron_xero_reconcile")
        self.tenant = self.fake.tenant(self.tenant_id)

    def state(self, name):
        return self.State._for(self.connection, name)

    def reconcile(self):
        """The scheduled action as the cron runner runs it; returns (its progress, the times it
        asked to run again)."""
        triggers = self.env["ir.cron.trigger"]
        triggers.search([("cron_id", "=", self.cron.id)]).unlink()
        _cron, progress = self.cron._add_progress(timed_out_counter=0)
        self.State.with_context(ir_cron_progress_id=progress.id)._cron_reconcile()
        self.env.flush_all()
        return progress, triggers.search([("cron_id", "=", self.cron.id)]).mapped("call_at")

    def change_behind(self, store, xero_id, before, **values):
        """Change a record in the fake Xero with an UpdatedDateUTC older than ``before`` (a
        watermark): what a lost webhook or a late write in Xero leaves behind."""
        store[xero_id] = dict(store[xero_id], UpdatedDateUTC=xero_time(before - timedelta(hours=1)), **values)

    def reads(self, path):
        """The GET requests of ``path`` (e.g. "/Contacts") sent so far."""
        return [r for r in self.fake.requests if r.method == "GET" and r.path.split("?")[0].endswith(path)]

    def pages_read(self, path):
        return [int(r.query["page"][0]) for r in self.reads(path) if "page" in r.query]

    def pulled_contact(self, name, **vals):
        """A customer sent to Xero, and the contacts' watermark past it."""
        partner = self.customer(name, **vals)
        self.push()
        self.pull()
        link = self.link(partner)
        self.assertTrue(link.xero_contact_id)
        self.assertTrue(self.state("contacts").pulled_at)
        return partner, link

    # -- what the watermark missed --------------------------------------------------------------
    def test_a_contact_changed_behind_the_watermark_is_brought_into_odoo(self):
        partner, link = self.pulled_contact("Tui Traders", phone="+64 3 100")
        self.change_behind(self.tenant.contacts, link.xero_contact_id, self.state("contacts").pulled_at,
                           Name="Tui Traders NZ", Phones=[{"PhoneType": "DEFAULT", "PhoneNumber": "+64 3 200"}])
        self.pull()
        self.assertEqual(partner.name, "Tui Traders", "the scheduled pull does not see it")

        # Written in an earlier transaction (a test's has one clock: the pull logs the records
        # whose write date its merge moved).
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET write_date = write_date - interval '1 day' WHERE id = %s",
                            (partner.id,))
        partner.invalidate_recordset(["write_date"])
        self.fake.reset_requests()
        start = fields.Datetime.now()
        self.reconcile()
        self.assertEqual((partner.name, partner.phone), ("Tui Traders NZ", "+64 3 200"))
        self.assertEqual(link.state, "synced")
        self.assertGreaterEqual(link.reconciled_at, start)
        [read] = self.reads("/Contacts")
        self.assertNotIn("If-Modified-Since", read.headers, "every contact, whatever the watermark")
        self.assertTrue(self.env["xero.sync.log"].search([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id), ("direction", "=", "in"),
            ("operation", "=", "update"), ("result", "=", "success")]), "logged as the pull logs it")
        state = self.state("contacts")
        self.assertGreaterEqual(state.reconciled_at, start)
        self.assertFalse(state.reconcile_started_at)

        self.fake.reset_requests()
        self.push()
        self.assertFalse(self.writes("/Contacts"), "what came from Xero is not sent back")

    def test_a_contact_archived_behind_the_watermark_is_archived_in_odoo(self):
        partner, link = self.pulled_contact("Moa Movers")
        self.change_behind(self.tenant.contacts, link.xero_contact_id, self.state("contacts").pulled_at,
                           ContactStatus="ARCHIVED")
        self.pull()
        self.assertTrue(partner.active, "the scheduled pull does not see it")
        self.reconcile()
        self.assertTrue(partner.exists())
        self.assertFalse(partner.active)
        self.assertEqual(link.state, "synced")
        self.assertTrue(link.xero_archived)

    def test_an_item_deleted_in_xero_is_found_gone(self):
        product = self.product("Reconciled Mug", default_code="REC-MUG")
        self.push()
        link = self.item_link(product)
        self.assertTrue(link.xero_item_id)
        self.env["xero.sync.state"]._cron_pull(["items"])
        self.assertTrue(self.state("items").pulled_at)
        with self.tenant.lock:
            del self.tenant.items[link.xero_item_id]  # as DELETE /Items/{ItemID} does
        self.env["xero.sync.state"]._cron_pull(["items"])
        self.assertEqual(link.state, "synced", "the scheduled pull does not see it")

        self.reconcile()
        self.assertEqual(link.state, "error")
        self.assertTrue(link.needs_review)
        self.assertIn(product.display_name, link.error)
        self.assertTrue(self.env["xero.sync.log"].search([
            ("model", "=", "product.product"), ("res_id", "=", product.id), ("result", "=", "error")]))
        self.assertTrue(self.state("items").reconciled_at)

        self.fake.reset_requests()
        self.state("items").reconciled_at = fields.Datetime.now() - timedelta(days=8)
        self.reconcile()
        self.assertEqual(len(self.reads("/Items")), 1, "in review: left to a person, not read again by its id")

    def test_an_invoice_voided_behind_the_watermark_shows_on_the_order(self):
        order = self.confirmed()
        self.send(order)
        invoice_id = order.xero_invoice_id
        self.assertTrue(invoice_id)
        # Approved in Xero, and read back by the payments' scheduled action.
        invoices = self.tenant.invoices
        invoices[invoice_id] = dict(invoices[invoice_id], Status="AUTHORISED",
                                    UpdatedDateUTC=xero_time(fields.Datetime.now()))
        self.pull_payments()
        self.assertEqual(order.xero_status, "AUTHORISED")
        watermark = self.state("invoices").pulled_at
        self.assertTrue(watermark)

        # Voided "before" the watermark, but after the order was sent (the documents Odoo sent
        # are read from the first one on).
        link = order.xero_invoice_link_ids
        sent = link.create_date - timedelta(minutes=4)
        voided = sent + (watermark - sent) / 2
        invoices[invoice_id] = dict(invoices[invoice_id], Status="VOIDED", AmountDue=0.0,
                                    UpdatedDateUTC=xero_time(voided))
        self.pull_payments()
        self.assertEqual(order.xero_status, "AUTHORISED", "the scheduled pull does not see it")

        self.fake.reset_requests()
        self.reconcile()
        self.assertEqual(order.xero_status, "VOIDED")
        [read] = [r for r in self.reads("/Invoices") if "Statuses" in r.query]
        self.assertIn("If-Modified-Since", read.headers, "only from the first document Odoo sent on")
        mirror = self.env["xero.invoice"].search([("connection_id", "=", self.connection.id),
                                                  ("xero_invoice_id", "=", invoice_id)])
        self.assertEqual(mirror.status, "VOIDED", "the receivables' copy too")

    def test_an_old_debt_paid_behind_the_watermark_leaves_the_receivables(self):
        """The receivables keep what still owes however old; the pass's list reads only the last
        years: an old debt settled in Xero is read by its id."""
        self.env["xero.partner.link"]._push_now(self.customer_co, self.connection)
        day = fields.Date.today() - timedelta(days=5 * 366)
        old = self.fake.add_invoice(self.tenant_id, {
            "Type": "ACCREC", "Contact": {"ContactID": self.link(self.customer_co).xero_contact_id},
            "Status": "AUTHORISED", "Date": day, "DueDate": day + timedelta(days=30),
            "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 500, "AccountCode": "200",
                           "TaxType": "NONE"}]})
        self.pull_payments()
        mirror = self.env["xero.invoice"].search([("xero_invoice_id", "=", old["InvoiceID"])])
        self.assertEqual(mirror.status, "AUTHORISED", "owing: kept however old")
        self.change_behind(self.tenant.invoices, old["InvoiceID"], self.state("receivable_invoices").pulled_at,
                           Status="PAID", AmountDue=0.0, AmountPaid=500.0)
        self.pull_payments()
        self.assertEqual(mirror.status, "AUTHORISED", "the scheduled pull does not see it")
        self.fake.reset_requests()
        self.reconcile()
        self.assertEqual(mirror.status, "PAID")
        self.assertTrue([r for r in self.reads("/Invoices") if "IDs" in r.query], "read by its id")

    def test_a_quote_declined_behind_the_watermark_shows_on_the_order(self):
        self.params.set_param("xero_connector.document_type", "quote")
        order = self.order()
        self.send(order)
        quote_id = order.xero_quote_id
        self.pull_payments()
        watermark = self.state("quotes").pulled_at
        self.assertTrue(watermark)
        sent = order.xero_quote_link_ids.create_date - timedelta(minutes=4)
        quotes = self.tenant.quotes
        quotes[quote_id] = dict(quotes[quote_id], Status="DECLINED",
                                UpdatedDateUTC=xero_time(sent + (watermark - sent) / 2))
        self.pull_payments()
        self.assertEqual(order.xero_quote_status, "DRAFT", "the scheduled pull does not see it")
        self.reconcile()
        self.assertEqual(order.xero_quote_status, "DECLINED")
        self.assertTrue(self.state("quotes").reconciled_at)

    # -- bounded, resumable runs ----------------------------------------------------------------
    def seven_contacts_and_the_last_changed_behind(self, name):
        """Seven contacts read by the pull, and the last of them in Xero's id order changed
        behind the watermark: with pages of 3 it is on page 3. (Names of their own per test:
        the same write twice is answered as the first time, under the same Idempotency-Key.)"""
        ids = self.xero_save(*[{"Name": "%s %d" % (name, i)} for i in range(7)])
        self.pull()
        last = max(ids, key=str.lower)
        self.change_behind(self.tenant.contacts, last, self.state("contacts").pulled_at, Name="%s Last" % name)
        self.fake.reset_requests()
        return self.Link.search([("xero_contact_id", "=", last)]).partner_id

    def test_a_pass_stopped_after_its_pages_goes_on_at_the_next_run(self):
        partner = self.seven_contacts_and_the_last_changed_behind("Paged Co")
        state = self.state("contacts")
        with patch.object(ContactSync, "page_size", 3), \
                patch.object(xero_sync_state_reconcile, "RECONCILE_PAGES", 2):
            progress, triggers = self.reconcile()
            self.assertEqual(self.pages_read("/Contacts"), [1, 2])
            self.assertEqual((progress.done, progress.remaining), (6, 1), "called again at once")
            self.assertTrue(triggers)
            self.assertEqual(state.reconcile_page, 3)
            started = state.reconcile_started_at
            self.assertTrue(started)
            self.assertFalse(state.reconciled_at)
            self.assertNotEqual(partner.name, "Paged Co Last")

            progress, triggers = self.reconcile()
            self.assertEqual(self.pages_read("/Contacts"), [1, 2, 3], "on from page 3, not over again")
            self.assertEqual((progress.done, progress.remaining), (1, 0))
            self.assertFalse(triggers)
            self.assertEqual(partner.name, "Paged Co Last")
            self.assertFalse(state.reconcile_started_at)
            self.assertTrue(state.reconciled_at)
            self.assertFalse(self.Link.search([("connection_id", "=", self.connection.id),
                                               ("xero_contact_id", "!=", False),
                                               ("reconciled_at", "<", started)]), "every contact seen")

            self.fake.reset_requests()
            self.reconcile()
            self.assertFalse(self.reads("/Contacts"), "the pass is done: a run it triggered starts none")

    def test_a_pass_stopped_by_the_quota_goes_on_when_it_allows(self):
        partner = self.seven_contacts_and_the_last_changed_behind("Quota Co")
        state = self.state("contacts")
        with patch.object(ContactSync, "page_size", 3), \
                patch.object(xero_sync_state_reconcile, "RECONCILE_PAGES", 1):
            self.reconcile()
            self.assertEqual(state.reconcile_page, 2)
            # The day's calls left are the people's reserve: the background keeps off it.
            self.patch(type(self.connection), "_xero_limits",
                       lambda connection: Limits(minute=100000, day=1000, daily_reserve=1000))
            start = fields.Datetime.now()
            progress, triggers = self.reconcile()
            self.assertEqual(self.pages_read("/Contacts"), [1])
            self.assertEqual((progress.done, progress.remaining), (0, 0), "not called again at once")
            self.assertTrue(triggers and min(triggers) > start + timedelta(seconds=30),
                            "called again when the quota allows")
            self.assertEqual(state.reconcile_page, 2, "its place kept")
            self.assertTrue(state.reconcile_started_at)

            self.patch(type(self.connection), "_xero_limits",
                       lambda connection: Limits(minute=100000, day=1000000, daily_reserve=0))
            self.reconcile()
            self.reconcile()
        self.assertEqual(self.pages_read("/Contacts"), [1, 2, 3])
        self.assertEqual(partner.name, "Quota Co Last")
        self.assertTrue(state.reconciled_at)

    # -- the scheduled action -------------------------------------------------------------------
    def test_the_weekly_scheduled_action(self):
        self.assertTrue(self.cron.active)
        self.assertEqual((self.cron.interval_number, self.cron.interval_type), (1, "weeks"))
        partner, link = self.pulled_contact("Weekly Weka")
        state = self.state("contacts")
        self.change_behind(self.tenant.contacts, link.xero_contact_id, state.pulled_at, Name="Weekly Weka Ltd")
        self.cron.method_direct_trigger()
        self.assertEqual(partner.name, "Weekly Weka Ltd")
        self.assertTrue(state.reconciled_at)
        self.assertFalse(self.state("quotes").reconciled_at, "nothing read yet: nothing to compare")

        self.fake.reset_requests()
        state.reconciled_at = fields.Datetime.now() - timedelta(days=2)
        self.reconcile()
        self.assertFalse(self.reads("/Contacts"), "not due before next week")

        state.write({"reconciled_at": fields.Datetime.now() - timedelta(days=7), "paused": True})
        self.reconcile()
        self.assertFalse(self.reads("/Contacts"), "paused: left alone")

        state.paused = False
        self.reconcile()
        self.assertEqual(len(self.reads("/Contacts")), 1)
        self.assertGreater(state.reconciled_at, fields.Datetime.now() - timedelta(minutes=5))
