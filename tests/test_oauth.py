"""The standard OAuth2 app flow, end to end: Odoo → fake Xero's consent → the controller."""
import re
import urllib.parse

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.xero_connector.xero import oauth
from odoo.addons.xero_connector.xero.errors import AuthenticationError
from odoo.addons.xero_connector.xero.tokens import TokenClient

from .common import CommittedConnectionMixin, FakeXeroMixin, assert_no_secret_in_database, captured_server_log

APP_ID, APP_SECRET = "OAUTHAPPCLIENTID000000000000000001", "oauth-app-secret-value-123"


class OAuthFakeMixin(FakeXeroMixin):
    @classmethod
    def start_oauth_fake(cls):
        cls.start_fake_xero()
        cls.tenant2_id = cls.fake.add_tenant("Second Company Ltd")
        cls.fake.add_app(APP_ID, APP_SECRET, tenants=[cls.tenant_id, cls.tenant2_id], custom=False)


@tagged("post_install", "-at_install")
class TestOAuthCallback(OAuthFakeMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_oauth_fake()
        cls.create_connection(name="OAuth", auth_type="oauth", client_id=APP_ID, client_secret=APP_SECRET)

    def setUp(self):
        super().setUp()
        self.fake.consent_decision = "allow"
        self.fake.consent_tenants = [self.tenant_id]
        self.authenticate("admin", "admin")

    def consent(self):
        # the administrator who clicks Connect is the one Xero sends back (authenticate above)
        action = self.connection.with_user(self.env.ref("base.user_admin")).action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(action["url"]).query)
        self.assertEqual(query["code_challenge_method"], ["S256"])
        self.assertIn("offline_access", query["scope"][0].split())
        self.assertEqual(query["redirect_uri"], [self.connection.callback_url])
        return self.fake.follow_consent(action["url"])

    def errors_logged(self):
        return self.env["xero.sync.log"].search([("operation", "=", "OAuth callback"), ("result", "=", "error")])

    def test_good_code_connects(self):
        with captured_server_log() as server_log:
            response = self.url_open(self.consent())
            self.connection.action_test()
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("Connected to Xero", response.text)
        self.assertEqual(self.connection.state, "connected")
        self.assertEqual(self.connection.tenant_id, self.tenant_id)
        self.assertIn("offline_access", self.connection.granted_scopes)
        self.assertTrue(self.connection.refresh_token)
        self.assertTrue(self.connection.xero_connection_ref)
        self.assertTrue(self.connection.last_refresh)
        secrets = [self.connection.access_token, self.connection.refresh_token, APP_SECRET]
        assert_no_secret_in_database(self, secrets)
        self.assertTrue(server_log)
        logged = "\n".join(server_log + self.env["xero.sync.log"].search([]).mapped("message"))
        for secret in secrets:
            self.assertNotIn(secret, logged)

    def test_forged_state_is_refused_with_a_page_and_a_log_row(self):
        self.consent()
        response = self.url_open(self.connection.callback_url + "?code=abc&state=forged-state")
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not match any connection request", response.text)
        self.assertNotIn("Traceback", response.text)
        self.assertTrue(self.errors_logged())
        self.assertEqual(self.connection.state, "draft")

    def test_replayed_state_is_refused(self):
        location = self.consent()
        self.assertEqual(self.url_open(location).status_code, 200)
        response = self.url_open(location)
        self.assertEqual(response.status_code, 400)
        self.assertIn("already used", response.text)
        self.assertTrue(self.errors_logged())

    def test_expired_state_is_refused(self):
        location = self.consent()
        self.env["xero.oauth.state"].search([("connection_id", "=", self.connection.id)]).write(
            {"expires_at": fields.Datetime.subtract(fields.Datetime.now(), minutes=11)})
        response = self.url_open(location)
        self.assertEqual(response.status_code, 400)
        self.assertIn("expired", response.text)
        self.assertEqual(self.connection.state, "draft")

    def test_state_of_another_user_is_refused(self):
        location = self.consent()
        self.authenticate("demo", "demo")
        response = self.url_open(location)
        self.assertEqual(response.status_code, 400)
        self.assertIn("another user", response.text)

    def test_refused_consent(self):
        self.fake.consent_decision = "deny"
        response = self.url_open(self.consent())
        self.assertEqual(response.status_code, 400)
        self.assertIn("not approved", response.text)
        self.assertTrue(self.errors_logged())
        self.assertEqual(self.connection.state, "draft")

    def test_several_organisations_and_the_picker(self):
        self.fake.consent_tenants = [self.tenant_id, self.tenant2_id]
        page = self.url_open(self.consent())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Demo Company (NZ)", page.text)
        self.assertIn("Second Company Ltd", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        state_id = re.search(r'name="state_id" value="(\d+)"', page.text).group(1)
        response = self.url_open("/xero_connector/oauth/pick", data={
            "csrf_token": csrf, "state_id": state_id, "tenant_id": self.tenant2_id})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.connection.tenant_id, self.tenant2_id)
        self.assertEqual(self.connection.tenant_name, "Second Company Ltd")
        # the same choice cannot be made twice
        again = self.url_open("/xero_connector/oauth/pick", data={
            "csrf_token": csrf, "state_id": state_id, "tenant_id": self.tenant_id})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.connection.tenant_id, self.tenant2_id)

    def test_disconnect_revokes_the_grant(self):
        self.url_open(self.consent())
        refresh_token = self.connection.refresh_token
        deletes = self.fake.calls("/Connections", method="DELETE")
        revocations = self.fake.calls("/connect/revocation", method="POST")
        action = self.connection.action_disconnect()
        self.assertEqual(action["params"]["type"], "info", action["params"]["message"])
        self.assertEqual(self.fake.calls("/Connections", method="DELETE"), deletes + 1)
        self.assertEqual(self.fake.calls("/connect/revocation", method="POST"), revocations + 1)
        self.assertEqual(self.connection.state, "draft")
        self.assertFalse(self.connection.refresh_token)
        with self.assertRaises(AuthenticationError):  # Xero no longer accepts the grant
            TokenClient(self.connection._xero_endpoints(), APP_ID, APP_SECRET).refresh(refresh_token)


@tagged("post_install", "-at_install")
class TestOAuthRefresh(OAuthFakeMixin, CommittedConnectionMixin, TransactionCase):
    """Refreshes across real, committed transactions (two workers) and a refused grant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_oauth_fake()
        cls.fake.consent_tenants = [cls.tenant_id]

    def setUp(self):
        super().setUp()
        with self.committed_connection(auth_type="oauth", client_id=APP_ID, client_secret=APP_SECRET) \
                as (_env, connection):
            grant = self._grant(connection)
            connection._xero_store_grant(grant)
            connection._xero_set_tenant(connection._xero_tenants(grant["access_token"])[0])

    def _grant(self, connection):
        endpoints = connection._xero_endpoints()
        verifier = oauth.new_code_verifier()
        location = self.fake.follow_consent(
            oauth.authorization_url(endpoints, APP_ID, connection.callback_url, "s", verifier))
        code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
        return oauth.exchange_code(endpoints, APP_ID, APP_SECRET, connection.callback_url, code, verifier)

    def refreshes(self):
        return self.fake.token_calls_by_grant.get("refresh_token", 0)

    def test_two_workers_refresh_once_and_both_use_the_new_token(self):
        self.expire_access_token()
        old_refresh = self.stored("refresh_token")
        before = self.refreshes()
        tokens, errors = self.in_workers(2, lambda connection: connection._xero_access_token())
        self.assertFalse(errors)
        self.assertEqual(self.refreshes() - before, 1)
        self.assertEqual((len(tokens), len(set(tokens))), (2, 1))
        self.assertNotEqual(self.stored("refresh_token"), old_refresh, "the rotated refresh token was committed")
        # the grant is still alive: the stored refresh token is the one Xero expects next
        self.expire_access_token()
        _tokens, errors = self.in_workers(1, lambda connection: connection._xero_access_token())
        self.assertFalse(errors)
        self.assertEqual(self.refreshes() - before, 2)
        self.assertEqual(self.stored("state"), "connected")

    def test_invalid_grant_expires_the_connection_and_tells_the_admins(self):
        # someone (a copy of the database, say) spent our refresh token: Xero refuses it now
        TokenClient(self.env["xero.connection"]._xero_endpoints(), APP_ID, APP_SECRET).refresh(
            self.stored("refresh_token"))
        self.expire_access_token()
        _tokens, errors = self.in_workers(1, lambda connection: connection._xero_access_token())
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], AuthenticationError)
        self.assertEqual(errors[0].code, "invalid_grant")
        self.assertEqual(self.stored("state"), "expired")
        self.assertIn("reconnect", self.stored("last_error"))
        with self.committed_env() as env:
            activities = env["xero.connection"].browse(self.connection_id).activity_ids
            self.assertTrue(activities)
            self.assertIn(env.ref("base.user_admin"), activities.user_id)
        # every later sync stops at once, without another call to Xero
        calls = self.fake.token_calls
        _tokens, errors = self.in_workers(1, lambda connection: connection._xero_access_token())
        self.assertIsInstance(errors[0], AuthenticationError)
        self.assertEqual(self.fake.token_calls, calls)
