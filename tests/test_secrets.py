import os
import stat
import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.xero_connector.tools import crypto

from .common import CLIENT_SECRET, FakeXeroMixin, XeroCase, assert_no_secret_in_database, captured_server_log

SECRET_FIELDS = ["client_secret", "access_token", "refresh_token", "client_secret_enc"]


@tagged("post_install", "-at_install")
class TestSecretsAtRest(XeroCase):
    def test_plain_user_cannot_read_secrets_through_the_orm(self):
        self.connect()
        user = new_test_user(self.env, "xero_plain", groups="base.group_user,xero_connector.group_xero_user")
        connection = self.connection.with_user(user)
        self.assertEqual(connection.state, "connected")  # the status is visible...
        for field in SECRET_FIELDS:
            with self.assertRaises(AccessError, msg=field):
                connection.read([field])  # ...the secrets are not
        with self.assertRaises(AccessError):
            self.env["xero.token"].with_user(user).search([])

    def test_no_token_in_clear_in_the_database_logs_or_sync_log(self):
        with captured_server_log() as server_log:
            self.connect()
            self.fake.faults.add("500", path="/api.xro/2.0/Organisation", times=1)
            self.connection.action_test()  # one failed call (logged), then success
        token = self.connection.access_token
        self.assertTrue(token and len(token) > 16)
        secrets = [token, CLIENT_SECRET]

        assert_no_secret_in_database(self, secrets)

        logs = self.env["xero.sync.log"].search([("connection_id", "=", self.connection.id)])
        self.assertTrue(logs.filtered(lambda log: log.http_status == 500), "the failed call is logged")
        self.assertTrue(server_log, "the server log was captured")
        for text in server_log + logs.mapped("message"):
            for secret in secrets:
                self.assertNotIn(secret, text or "")

    def test_key_file_is_private_and_outside_the_database(self):
        location = crypto.key_location()
        if location.startswith("server option"):
            self.skipTest("the key comes from the server configuration here")
        self.assertTrue(os.path.isfile(location))
        self.assertEqual(stat.S_IMODE(os.stat(location).st_mode), 0o600)
        with open(location, "rb") as handle:
            key = handle.read().strip().decode()
        self.env.cr.execute("SELECT count(*) FROM ir_config_parameter WHERE value LIKE %s", ("%" + key + "%",))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        cipher = crypto.encrypt("hello")
        self.assertNotIn("hello", cipher)
        self.assertEqual(crypto.decrypt(cipher), "hello")


    def test_key_from_the_server_configuration(self):
        from unittest.mock import patch

        from odoo.tools import config
        from_file = crypto.encrypt("made with the file key")
        with patch.dict(config.options, {"xero_connector_key": "a passphrase of more than thirty-two characters"}):
            self.assertEqual(crypto.key_location(), "server option xero_connector_key")
            cipher = crypto.encrypt("secret")
            self.assertEqual(crypto.decrypt(cipher), "secret")
            # another key cannot read it: the secret must be entered again, nothing crashes,
            # and the administrator reads why in the server log
            crypto._warned.clear()
            with self.assertLogs("odoo.addons.xero_connector.tools.crypto", "ERROR") as logged:
                self.assertFalse(crypto.decrypt(from_file))
            self.assertIn("cannot be decrypted", logged.output[0])
        self.assertFalse(crypto.decrypt(cipher))  # logged once per process only


@tagged("post_install", "-at_install")
class TestSecretsOverRpc(FakeXeroMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_fake_xero()
        cls.create_connection()
        cls.connection.action_connect()
        cls.user = new_test_user(cls.env, "xero_rpc", password="xero_rpc_pass_1",
                                 groups="base.group_user,xero_connector.group_xero_user")

    def test_plain_user_gets_an_access_error_over_rpc(self):
        common = xmlrpc.client.ServerProxy(self.xmlrpc_url + "common")
        uid = common.authenticate(self.env.cr.dbname, "xero_rpc", "xero_rpc_pass_1", {})
        self.assertEqual(uid, self.user.id)
        models = self.xmlrpc_object
        state = models.execute_kw(self.env.cr.dbname, uid, "xero_rpc_pass_1", "xero.connection", "read",
                                  [[self.connection.id]], {"fields": ["state"]})
        self.assertEqual(state[0]["state"], "connected")
        for field in SECRET_FIELDS:
            with self.assertRaises(xmlrpc.client.Fault) as fault, self.assertLogs("odoo.http", "WARNING"):
                models.execute_kw(self.env.cr.dbname, uid, "xero_rpc_pass_1", "xero.connection", "read",
                                  [[self.connection.id]], {"fields": [field]})
            self.assertIn("You do not have enough rights to access the fields", fault.exception.faultString)
            self.assertIn(field, fault.exception.faultString)
