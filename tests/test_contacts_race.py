"""Two workers pushing at once, each in its own committed transaction (as two cron threads do)."""
import threading

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.xero_connector.sync import contact_push

from .common import CLIENT_ID, CLIENT_SECRET, FakeXeroMixin, point_at

CUSTOMERS = 90
BATCH = 40


@tagged("post_install", "-at_install")
class TestContactsRace(FakeXeroMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Each call takes a while, so the two workers' batches overlap in time.
        cls.start_fake_xero(latency=0.3)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            point_at(env, self.fake_url)
            company = env["res.company"].create({"name": "Race Contacts Company"})
            connection = env["xero.connection"].create({
                "name": "Race", "company_id": company.id, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "contacts_linked_at": fields.Datetime.now()})
            connection.action_connect()
            self.assertEqual(connection.state, "connected")
            partners = env["res.partner"].create([{
                "name": "Race Customer %03d" % i, "company_id": company.id, "is_company": True,
                "email": "race%d@example.com" % i, "xero_sync": True} for i in range(CUSTOMERS)])
            self.assertEqual(len(partners.xero_link_ids), CUSTOMERS)
            self.company_id, self.connection_id, self.partner_ids = company.id, connection.id, partners.ids
        self.addCleanup(self._drop_committed)

    def _drop_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["xero.connection"].browse(self.connection_id).unlink()
            env["xero.sync.log"].search([("company_id", "=", self.company_id)]).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["res.company"].browse(self.company_id).unlink()

    def _worker(self, barrier, taken, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                connection = env["xero.connection"].browse(self.connection_id)
                barrier.wait()
                ids = contact_push.lock_pending(env, connection, BATCH)
                taken.append(ids)
                contact_push.push(contact_push.ContactRun(connection), env["xero.partner.link"].browse(ids))
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    def test_two_workers_never_push_the_same_customer(self):
        barrier = threading.Barrier(2)
        taken, errors = [], []
        threads = [threading.Thread(target=self._worker, args=(barrier, taken, errors)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors)
        self.assertEqual([len(t) for t in taken], [BATCH, BATCH])
        self.assertFalse(set(taken[0]) & set(taken[1]), "SKIP LOCKED: disjoint batches")

        contacts = list(self.fake.tenant(self.tenant_id).contacts.values())
        self.assertEqual(len(contacts), 2 * BATCH)
        puts = [r for r in self.fake.requests if r.method == "PUT" and "/Contacts" in r.path]
        self.assertEqual(sum(len(r.json["Contacts"]) for r in puts), 2 * BATCH, "each customer sent once")

        # The rest, by the scheduled action; then every customer is in Xero exactly once.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = contact_push.push_pending(env["xero.connection"].browse(self.connection_id))
            self.assertEqual((result.done, result.remaining), (CUSTOMERS - 2 * BATCH, 0))
            links = env["xero.partner.link"].search([("connection_id", "=", self.connection_id)])
            self.assertEqual(set(links.mapped("state")), {"synced"})
            linked = set(links.mapped("xero_contact_id"))
        contacts = list(self.fake.tenant(self.tenant_id).contacts.values())
        self.assertEqual(len(contacts), CUSTOMERS)
        self.assertEqual(len({c["Name"] for c in contacts}), CUSTOMERS)
        self.assertEqual(linked, {c["ContactID"] for c in contacts})
