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
