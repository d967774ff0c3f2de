import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .common import CLIENT_ID, CLIENT_SECRET, FakeXeroMixin, point_at


@tagged("post_install", "-at_install")
class TestTokenRace(FakeXeroMixin, TransactionCase):
    """Workers renewing at once, each in its own committed transaction (as in production)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            point_at(env, self.fake_url)
            company = env["res.company"].create({"name": "Race Company"})
            connection = env["xero.connection"].create({
                "name": "Race", "company_id": company.id,
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            connection.action_connect()
            self.assertEqual(connection.state, "connected")
            self.company_id, self.connection_id = company.id, connection.id
        self.addCleanup(self._drop_committed)

    def _drop_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["xero.connection"].browse(self.connection_id).unlink()
            env["xero.sync.log"].search([("company_id", "=", self.company_id)]).unlink()
            env["res.company"].browse(self.company_id).unlink()

    def _expire_token(self):
        with self.registry.cursor() as cr:
            cr.execute("UPDATE xero_token SET expires_at = 0 WHERE connection_id = %s", (self.connection_id,))

    def _race(self, workers, stale=None):
        barrier = threading.Barrier(workers)
        tokens, errors = [], []

        def work():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    connection = env["xero.connection"].browse(self.connection_id)
                    barrier.wait()
                    tokens.append(connection._xero_access_token(stale=stale))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        return tokens

    def test_two_workers_renew_with_one_token_call(self):
        self._expire_token()
        before = self.fake.token_calls_by_grant.get("client_credentials", 0)
        tokens = self._race(2)
        self.assertEqual(self.fake.token_calls_by_grant.get("client_credentials", 0) - before, 1)
        self.assertEqual(len(set(tokens)), 1, "both workers use the one new token")

    def test_a_token_xero_refused_is_renewed_once_for_all(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            refused = env["xero.connection"].browse(self.connection_id).access_token
        before = self.fake.token_calls_by_grant.get("client_credentials", 0)
        tokens = self._race(3, stale=refused)
        self.assertEqual(self.fake.token_calls_by_grant.get("client_credentials", 0) - before, 1)
        self.assertEqual(len(set(tokens)), 1)
        self.assertNotEqual(tokens[0], refused)
