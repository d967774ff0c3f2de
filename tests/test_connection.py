from odoo.tests import tagged

from .common import CLIENT_SECRET, XeroCase


@tagged("post_install", "-at_install")
class TestConnection(XeroCase):
    def grants(self):
        return self.fake.token_calls_by_grant.get("client_credentials", 0)

    def test_custom_connection_connects_and_tests(self):
        before = self.grants()
        self.connect()
        self.assertEqual(self.connection.tenant_id, self.tenant_id)
        self.assertEqual(self.connection.tenant_name, "Demo Company (NZ)")
        self.assertEqual(self.grants() - before, 1)
        action = self.connection.action_test()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Demo Company (NZ)", action["params"]["message"])

    def test_the_token_is_reused_until_it_expires(self):
        before = self.grants()
        self.connect()
        self.connection.action_test()
        self.connection.action_test()
        self.assertEqual(self.grants() - before, 1)

    def test_refused_credentials_set_error_and_tell_the_admins(self):
        self.connection.client_secret = "wrong secret"
        action = self.connection.action_connect()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.connection.state, "error")
        self.assertIn("client id or secret", self.connection.last_error)
        activities = self.connection.activity_ids
        self.assertTrue(activities, "the Xero administrators get a to-do")
        self.assertIn(self.env.ref("base.user_admin"), activities.user_id)
        self.assertIn("client id or secret", activities[0].note)
        # a second failure does not pile up more to-dos
        self.connection.action_connect()
        self.assertEqual(len(self.connection.activity_ids), len(activities))
        # connecting again closes them
        self.connection.client_secret = CLIENT_SECRET
        self.connect()
        self.assertFalse(self.connection.activity_ids)

    def test_disconnect_forgets_tokens(self):
        self.connect()
        self.assertTrue(self.connection.access_token)
        self.connection.action_disconnect()
        self.assertEqual(self.connection.state, "draft")
        self.assertFalse(self.connection.access_token)
        self.assertFalse(self.env["xero.token"].search([("connection_id", "=", self.connection.id)]))
        self.assertEqual(self.connection.tenant_name, "Demo Company (NZ)", "the last organisation is shown")

    def test_connecting_to_another_organisation_is_noticed(self):
        self.connect()
        other = self.fake.add_tenant("Other Organisation Ltd")
        self.fake.add_app("OTHERAPP", "other-secret", tenants=[other], custom=True)
        self.connection.action_disconnect()
        self.connection.write({"client_id": "OTHERAPP", "client_secret": "other-secret"})
        self.connect()
        self.assertEqual(self.connection.tenant_id, other)
        self.assertIn("instead of %s" % self.tenant_id, self.connection.message_ids[0].body)

    def test_endpoints_come_from_system_parameters(self):
        self.env["ir.config_parameter"].set_param("xero_connector.api_url", "https://proxy.example.com/")
        endpoints = self.connection._xero_endpoints()
        self.assertEqual(endpoints.accounting, "https://proxy.example.com/api.xro/2.0")
        self.assertEqual(endpoints.token, self.fake_url + "/connect/token")
        self.assertEqual(endpoints.authorize, self.fake_url + "/identity/connect/authorize")

    def test_one_connection_per_company(self):
        from odoo.exceptions import ValidationError
        with self.assertRaises(ValidationError):
            self.env["xero.connection"].create({"name": "Second", "client_id": "x"})

    def test_settings_save_credentials_on_the_connection(self):
        settings = self.env["res.config.settings"].create({
            "xero_client_id": "NEWCLIENT", "xero_client_secret": "new-secret"})
        settings.execute()
        self.assertEqual(self.connection.client_id, "NEWCLIENT")
        self.assertEqual(self.connection.client_secret, "new-secret")
        self.assertEqual(settings.xero_connection_id, self.connection)
