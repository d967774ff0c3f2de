"""Two workers pushing at once, each in its own committed transaction (as two cron threads do)."""
from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.xero_connector.sync import contact_push

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
        ids = contact_push.lock_pending(env, connection, BATCH)
        contact_push.push(contact_push.ContactRun(connection), env["xero.partner.link"].browse(ids))
        return ids

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
            result = contact_push.push_pending(env["xero.connection"].browse(self.connection_id))
            self.assertEqual((result.done, result.remaining), (CUSTOMERS - 2 * BATCH, 0))
            links = env["xero.partner.link"].search([("connection_id", "=", self.connection_id)])
            self.assertEqual(set(links.mapped("state")), {"synced"})
            linked = set(links.mapped("xero_contact_id"))
        contacts = list(self.fake.tenant(self.tenant_id).contacts.values())
        self.assertEqual(len(contacts), CUSTOMERS)
        self.assertEqual(len({c["Name"] for c in contacts}), CUSTOMERS)
        self.assertEqual(linked, {c["ContactID"] for c in contacts})
