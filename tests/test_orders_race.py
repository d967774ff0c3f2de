"""Never a second invoice for an order, across real transactions: two people clicking at once,
an answer of Xero lost on the way, a crash between Xero's answer and the commit."""
import psycopg2

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from .common import CommittedConnectionMixin


class Crash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestOrdersRace(CommittedConnectionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero(latency=0.2)  # each call takes a while, so the two clicks overlap

    def setUp(self):
        super().setUp()
        tenant = self.fake.tenant(self.tenant_id)
        for store in (tenant.invoices, tenant.contacts, tenant.items):
            store.clear()  # each test's organisation starts empty, as its company does
        with self.committed_connection(contacts_linked_at=fields.Datetime.now()) as (env, connection):
            env["xero.sync.state"]._for(connection, "items").linked_at = fields.Datetime.now()
            connection.action_connect()
            self.assertEqual(connection.state, "connected")
            company = connection.company_id
            env.user.company_ids |= company
            customer = env["res.partner"].create({"name": "Race Customer Ltd", "is_company": True,
                                                  "company_id": company.id})
            product = env["product.product"].create({"name": "Race Widget", "default_code": "RACE-W",
                                                     "list_price": 10.0, "company_id": company.id, "taxes_id": False})
            order = env["sale.order"].with_company(company).create({
                "partner_id": customer.id, "company_id": company.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2, "price_unit": 10.0,
                                               "tax_id": False})]})
            order.action_confirm()
            self.order_id, self.product_id = order.id, product.id
            self.committed_partner_ids.append(customer.id)
        self.addCleanup(self._drop_order)

    retries = ()

    def _drop_order(self):
        with self.committed_env() as env:
            env.cr.execute("DELETE FROM xero_sync_attempt WHERE connection_id = %s", (self.connection_id,))
            env.cr.execute("DELETE FROM sale_order WHERE id = %s", (self.order_id,))
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()

    def notes(self):
        """Creates still noted as in flight (sync/engine/attempts.py), as committed."""
        with self.committed_env() as env:
            env.cr.execute("SELECT count(*) FROM xero_sync_attempt WHERE connection_id = %s", (self.connection_id,))
            return env.cr.fetchone()[0]

    def invoices(self):
        return list(self.fake.tenant(self.tenant_id).invoices.values())

    def send(self, env):
        """Send to Xero as a click does: in a request Odoo starts again on a serialization failure
        (as ``odoo.service.model.retrying``, without its registry housekeeping, which waits for
        the registries' lock that odoo-bin holds while it runs tests)."""
        order = env["sale.order"].browse(self.order_id).with_company(env["res.company"].browse(self.company_id))
        for _attempt in range(5):
            try:
                result = order.action_send_to_xero()
                env.cr.commit()
                return result
            except psycopg2.errors.SerializationFailure:
                self.retries.append(order.id)
                env.cr.rollback()
                env.invalidate_all()
        raise AssertionError("still colliding after 5 attempts")

    def test_two_people_clicking_at_once_make_one_invoice(self):
        self.retries = []
        results, errors = self.in_workers(2, lambda connection: self.send(connection.env))
        self.assertFalse(errors)
        self.assertEqual(len(results), 2)
        self.assertTrue(self.retries, "the second click waited for the first, then started again")
        self.assertEqual(len(self.invoices()), 1)
        with self.committed_env() as env:
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(order.xero_invoice_id, self.invoices()[0]["InvoiceID"])

    def test_a_lost_answer_makes_one_invoice(self):
        # Xero saves the invoice, and every answer to it (the client's retries too) is lost.
        self.fake.faults.add("lost_response", path="/Invoices", method="PUT", times=5)
        with self.committed_env() as env:
            self.send(env)
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(order.xero_sync_state, "pending", order.xero_error)
        self.assertEqual(len(self.invoices()), 1)
        self.fake.faults.clear()
        with self.committed_env() as env:
            order = env["sale.order"].browse(self.order_id)
            order.order_line[0].product_uom_qty = 3  # another version: another Idempotency-Key
            self.send(env)
            self.assertEqual(order.xero_sync_state, "sent")
        [invoice] = self.invoices()
        self.assertEqual(invoice["LineItems"][0]["Quantity"], 3.0, "the invoice found was updated")
        self.assertEqual(self.notes(), 0, "found: no longer in flight")

    def test_a_crash_before_the_commit_makes_one_invoice(self):
        with self.assertRaises(Crash), self.committed_env() as env:
            env["sale.order"].browse(self.order_id).action_send_to_xero()
            self.assertEqual(len(self.invoices()), 1)
            self.assertEqual(self.notes(), 1, "noted before it was sent, kept whatever happens next")
            raise Crash  # the transaction that knew of the invoice is lost
        with self.committed_env() as env:
            order = env["sale.order"].browse(self.order_id)
            self.assertFalse(order.xero_invoice_id)
            order.order_line[0].price_unit = 12.0
            self.send(env)
            self.assertEqual(order.xero_sync_state, "sent")
        [invoice] = self.invoices()
        self.assertEqual(invoice["LineItems"][0]["UnitAmount"], 12.0)
        self.assertEqual(self.notes(), 0, "found: no longer in flight")
