from odoo.tests import TransactionCase, tagged

from .common import CommittedConnectionMixin


@tagged("post_install", "-at_install")
class TestTokenRace(CommittedConnectionMixin, TransactionCase):
    """Workers renewing at once, each in its own committed transaction (as in production)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()

    def setUp(self):
        super().setUp()
        with self.committed_connection() as (_env, connection):
            connection.action_connect()
            self.assertEqual(connection.state, "connected")

    def grants(self):
        return self.fake.token_calls_by_grant.get("client_credentials", 0)

    def test_two_workers_renew_with_one_token_call(self):
        self.expire_access_token()
        before = self.grants()
        tokens, errors = self.in_workers(2, lambda connection: connection._xero_access_token())
        self.assertFalse(errors)
        self.assertEqual(self.grants() - before, 1)
        self.assertEqual(len(set(tokens)), 1, "both workers use the one new token")

    def test_a_token_xero_refused_is_renewed_once_for_all(self):
        refused = self.stored("access_token")
        before = self.grants()
        tokens, errors = self.in_workers(3, lambda connection: connection._xero_access_token(stale=refused))
        self.assertFalse(errors)
        self.assertEqual(self.grants() - before, 1)
        self.assertEqual((len(tokens), len(set(tokens))), (3, 1))
        self.assertNotEqual(tokens[0], refused)

    def _forget_grant(self):
        with self.committed_env() as env:
            env["xero.token"].search([("connection_id", "=", self.connection_id)]).unlink()

    def test_the_first_grant_is_fetched_once(self):
        self._forget_grant()
        before = self.grants()
        tokens, errors = self.in_workers(2, lambda connection: connection._xero_access_token())
        self.assertFalse(errors)
        self.assertEqual(self.grants() - before, 1)
        self.assertEqual((len(tokens), len(set(tokens))), (2, 1))
        with self.committed_env() as env:
            self.assertEqual(env["xero.token"].search_count([("connection_id", "=", self.connection_id)]), 1)

    def test_a_caller_that_wrote_the_connection_does_not_wait_on_itself(self):
        # The caller's transaction holds the connection's row lock; the grant is made in a
        # transaction of its own, which must not need that lock.
        self._forget_grant()

        def work(connection):
            connection.write({"name": "Renamed while connecting"})
            connection.env.flush_all()
            return connection._xero_access_token()

        tokens, errors = self.in_workers(1, work)
        self.assertFalse(errors)
        self.assertTrue(tokens[0])
