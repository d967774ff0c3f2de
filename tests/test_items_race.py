"""Two workers pushing products at once, each in its own committed transaction (as two cron
threads do): each product reaches Xero once."""
from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.xero_connector.sync.engine import push
from odoo.addons.xero_connector.sync.items import ItemSync

from .common import CommittedConnectionMixin

PRODUCTS = 90
BATCH = 40


@tagged("post_install", "-at_install")
class TestItemsRace(CommittedConnectionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero(latency=0.3)  # each call takes a while, so the two batches overlap

    def setUp(self):
        super().setUp()
        with self.committed_connection(contacts_linked_at=fields.Datetime.now()) as (env, connection):
            # The demo database's products are not this test's (Connect would queue them).
            env["xero.sync.state"]._for(connection, "items").linked_at = fields.Datetime.now()
            connection.action_connect()
            self.assertEqual(connection.state, "connected")
            products = env["product.product"].create([{
                "name": "Race Product %03d" % i, "default_code": "RACE-%03d" % i, "list_price": i,
                "company_id": connection.company_id.id} for i in range(PRODUCTS)])
            self.assertEqual(len(env["xero.product.link"].search([("product_id", "in", products.ids)])), PRODUCTS)
            self.product_ids = products.ids
        self.addCleanup(self._drop_products)

    def _drop_products(self):
        with self.committed_env() as env:
            env["product.product"].browse(self.product_ids).product_tmpl_id.unlink()

    @staticmethod
    def _push_one_batch(connection):
        links = connection.env["xero.product.link"]._lock_due(connection, BATCH)
        push.push(ItemSync(connection), links)
        return links.ids

    def test_two_workers_never_push_the_same_product(self):
        taken, errors = self.in_workers(2, self._push_one_batch)
        self.assertFalse(errors)
        self.assertEqual([len(t) for t in taken], [BATCH, BATCH])
        self.assertFalse(set(taken[0]) & set(taken[1]), "SKIP LOCKED: disjoint batches")
        puts = [r for r in self.fake.requests if r.method == "PUT" and "/Items" in r.path]
        self.assertEqual(sum(len(r.json["Items"]) for r in puts), 2 * BATCH, "each product sent once")

        with self.committed_env() as env:
            result = push.push_pending(ItemSync(env["xero.connection"].browse(self.connection_id)))
            self.assertEqual((result.done, result.remaining), (PRODUCTS - 2 * BATCH, 0))
            links = env["xero.product.link"].search([("connection_id", "=", self.connection_id)])
            self.assertEqual(set(links.mapped("state")), {"synced"})
            linked = set(links.mapped("xero_item_id"))
        items = list(self.fake.tenant(self.tenant_id).items.values())
        self.assertEqual(sorted(i["Code"] for i in items), ["RACE-%03d" % i for i in range(PRODUCTS)])
        self.assertEqual(linked, {i["ItemID"] for i in items})
