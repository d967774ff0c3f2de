"""Two workers pushing at once, each in its own committed transaction (as two cron threads do),
and the pull colliding with a concurrent transaction."""
import time

from psycopg2 import errors

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.xero_connector.sync.contacts import ContactSync
from odoo.addons.xero_connector.sync.engine import pull, push
from odoo.addons.xero_connector.xero.batch import WriteItem

from .common import CommittedConnectionMixin

CUSTOMERS = 90
BATCH = 40


@tagged("post_install", "-at_install")
class TestContactsRace(CommittedConnectionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Each call takes a while, so the two workers' batches overlap in time.
        cls.start_fake_xero(latency=0.3)

    def setUp(self):
        super().setUp()
        with self.committed_connection(contacts_linked_at=fields.Datetime.now()) as (env, connection):
            connection.action_connect()
            self.assertEqual(connection.state, "connected")
            partners = env["res.partner"].create([{
                "name": "Race Customer %03d" % i, "company_id": connection.company_id.id, "is_company": True,
                "email": "race%d@example.com" % i, "xero_sync": True} for i in range(CUSTOMERS)])
            self.assertEqual(len(partners.xero_link_ids), CUSTOMERS)
            self.committed_partner_ids = partners.ids

    @staticmethod
    def _push_one_batch(connection):
        env = connection.env
        links = env["xero.partner.link"]._lock_due(connection, BATCH)
        push.push(ContactSync(connection), links)
        return links.ids

    def test_two_workers_never_push_the_same_customer(self):
        taken, errors = self.in_workers(2, self._push_one_batch)
        self.assertFalse(errors)
        self.assertEqual([len(t) for t in taken], [BATCH, BATCH])
        self.assertFalse(set(taken[0]) & set(taken[1]), "SKIP LOCKED: disjoint batches")

        contacts = list(self.fake.tenant(self.tenant_id).contacts.values())
        self.assertEqual(len(contacts), 2 * BATCH)
        puts = [r for r in self.fake.requests if r.method == "PUT" and "/Contacts" in r.path]
        self.assertEqual(sum(len(r.json["Contacts"]) for r in puts), 2 * BATCH, "each customer sent once")

        # The rest, by the scheduled action; then every customer is in Xero exactly once.
        with self.committed_env() as env:
            result = push.push_pending(ContactSync(env["xero.connection"].browse(self.connection_id)))
            self.assertEqual((result.done, result.remaining), (CUSTOMERS - 2 * BATCH, 0))
            links = env["xero.partner.link"].search([("connection_id", "=", self.connection_id)])
            self.assertEqual(set(links.mapped("state")), {"synced"})
            linked = set(links.mapped("xero_contact_id"))
        contacts = list(self.fake.tenant(self.tenant_id).contacts.values())
        self.assertEqual(len(contacts), CUSTOMERS)
        self.assertEqual(len({c["Name"] for c in contacts}), CUSTOMERS)
        self.assertEqual(linked, {c["ContactID"] for c in contacts})


class OnePushedCustomerCase(CommittedConnectionMixin, TransactionCase):
    """A committed, connected company with one customer already pushed to the fake Xero."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()

    def commit_pushed_customer(self, **values):
        """Creates the customer and pushes it; sets partner_id, link_id and contact_id."""
        with self.committed_connection(contacts_linked_at=fields.Datetime.now()) as (env, connection):
            connection.action_connect()
            partner = env["res.partner"].create(dict(
                {"company_id": connection.company_id.id, "is_company": True, "xero_sync": True}, **values))
            self.committed_partner_ids = partner.ids
            self.partner_id = partner.id
        with self.committed_env() as env:
            self.assertEqual(push.push_pending(ContactSync(env["xero.connection"].browse(self.connection_id))).done, 1)
            link = env["xero.partner.link"].search([("partner_id", "=", self.partner_id)])
            self.link_id, self.contact_id = link.id, link.xero_contact_id


@tagged("post_install", "-at_install")
class TestContactsTransientErrors(OnePushedCustomerCase):
    """A write of the pull that collides with a concurrent transaction is retried by the cron
    runner (the whole transaction), never recorded as the link's error."""

    def setUp(self):
        super().setUp()
        self.commit_pushed_customer(name="Serial Co", phone="1")
        with self.committed_env() as env:  # a Xero user changes the phone
            with env["xero.connection"].browse(self.connection_id)._xero_session() as client:
                client.save("Contacts", [WriteItem("user", {"ContactID": self.contact_id, "Phones": [
                    {"PhoneType": "DEFAULT", "PhoneNumber": "2"}]}, "user")])

    def test_a_serialization_failure_in_the_pull_is_raised_not_recorded(self):
        with self.committed_env() as env:
            connection = env["xero.connection"].browse(self.connection_id)
            watermark = connection.xero_contacts_pulled_at
            env.cr.execute("SELECT 1")  # the pull's snapshot is taken
            with self.committed_env() as other:  # an invoice is posted for the customer meanwhile
                other.cr.execute("UPDATE res_partner SET customer_rank = customer_rank + 1 WHERE id = %s",
                                 (self.partner_id,))
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                pull.pull(ContactSync(connection))
            env.cr.rollback()
        self.assertEqual(self.stored("xero_contacts_pulled_at"), watermark, "the watermark did not move")
        with self.committed_env() as env:
            link = env["xero.partner.link"].browse(self.link_id)
            self.assertNotEqual(link.state, "error", link.error)
            # The cron runner's next attempt goes through.
            pull.pull(ContactSync(env["xero.connection"].browse(self.connection_id)))
            self.assertEqual((link.partner_id.phone, link.state), ("2", "synced"))


@tagged("post_install", "-at_install")
class TestContactsSavedDuringPush(OnePushedCustomerCase):
    """A user saving a customer whose link a push holds does not wait for the push: the change is
    queued, and the next run sends it."""

    def setUp(self):
        super().setUp()
        # The fake Xero lives as long as the class: each test's contact is its own.
        self.tag = self._testMethodName[-12:]
        self.commit_pushed_customer(name="Busy Co %s" % self.tag, email="first-%s@example.com" % self.tag)
        with self.committed_env() as env:
            env["res.partner"].browse(self.partner_id).email = "second-%s@example.com" % self.tag  # pending again

    def queued(self, env):
        return env["xero.sync.change"].search([("link_model", "=", "xero.partner.link"),
                                               ("link_id", "=", self.link_id)])

    def xero_email(self):
        return self.fake.tenant(self.tenant_id).contacts[self.contact_id].get("EmailAddress")

    def test_a_save_during_a_push_does_not_wait_and_is_sent_next_run(self):
        with self.committed_env() as push_env:
            connection = push_env["xero.connection"].browse(self.connection_id)
            self.assertEqual(push_env["xero.partner.link"]._lock_due(connection, 10).ids, [self.link_id])

            with self.committed_env() as user_env:  # a user saves the customer meanwhile
                user_env.cr.execute("SET LOCAL lock_timeout = '2s'")
                started = time.monotonic()
                user_env["res.partner"].browse(self.partner_id).email = "third-%s@example.com" % self.tag
                user_env.flush_all()
                self.assertLess(time.monotonic() - started, 1, "the save did not wait for the push")
                queued = self.queued(user_env)
                self.assertEqual(len(queued), 1)
                self.assertIn("identity", queued.groups)

            # The push goes on with what it read and marks the link synced.
            push.push(ContactSync(connection), push_env["xero.partner.link"].browse(self.link_id))
            self.assertEqual(push_env["xero.partner.link"].browse(self.link_id).state, "synced")
        self.assertEqual(self.xero_email(), "second-%s@example.com" % self.tag)

        # The next run applies the queued change and sends the new value.
        with self.committed_env() as env:
            result = push.push_pending(ContactSync(env["xero.connection"].browse(self.connection_id)))
            self.assertEqual((result.done, result.remaining), (1, 0))
            self.assertFalse(self.queued(env))
            self.assertEqual(env["xero.partner.link"].browse(self.link_id).state, "synced")
        self.assertEqual(self.xero_email(), "third-%s@example.com" % self.tag)

    def test_the_pull_applies_a_queued_change(self):
        with self.committed_env() as env:  # as if pushed; no change of Odoo's remembered
            env["xero.partner.link"].browse(self.link_id).write({"state": "synced", "odoo_changed": False})
        with self.committed_env() as push_env:
            push_env.cr.execute("SELECT id FROM xero_partner_link WHERE id = %s FOR NO KEY UPDATE", (self.link_id,))
            with self.committed_env() as user_env:
                user_env.cr.execute("SET LOCAL lock_timeout = '2s'")
                user_env["res.partner"].browse(self.partner_id).email = "third-%s@example.com" % self.tag
                user_env.flush_all()
            push_env.cr.rollback()  # the holder ends without writing the link
        with self.committed_env() as env:
            pull.pull(ContactSync(env["xero.connection"].browse(self.connection_id)))
            link = env["xero.partner.link"].browse(self.link_id)
            self.assertFalse(self.queued(env))
            self.assertEqual(link.state, "pending", link.error)
            self.assertIn("identity", link.odoo_changed)
        with self.committed_env() as env:
            self.assertEqual(push.push_pending(ContactSync(env["xero.connection"].browse(self.connection_id))).done, 1)
        self.assertEqual(self.xero_email(), "third-%s@example.com" % self.tag)
