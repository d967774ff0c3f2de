from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed_with_its_public_names(self):
        module = self.env["ir.module.module"].search([("name", "=", "xero_connector")])
        self.assertEqual(module.state, "installed")
        for xmlid in ("xero_connector.group_xero_user", "xero_connector.group_xero_finance",
                      "xero_connector.group_xero_admin"):
            self.assertTrue(self.env.ref(xmlid))
        for model in ("xero.connection", "xero.sync.log", "xero.token", "xero.quota"):
            self.assertIn(model, self.env)

    def test_admin_group_implies_the_others_and_settings_admins_get_it(self):
        admin = self.env.ref("xero_connector.group_xero_admin")
        self.assertIn(self.env.ref("xero_connector.group_xero_user"), admin.implied_ids)
        self.assertIn(self.env.ref("xero_connector.group_xero_finance"), admin.implied_ids)
        self.assertTrue(self.env.ref("base.user_admin").has_group("xero_connector.group_xero_admin"))

    def test_every_model_has_access_rules(self):
        for model in ("xero.connection", "xero.sync.log", "xero.token", "xero.quota"):
            self.assertTrue(self.env["ir.model.access"].search([("model_id.model", "=", model)]), model)

    def test_settings_page_renders(self):
        settings = self.env["res.config.settings"].create({})
        self.assertIn("xero_connector.key", settings.xero_key_location + "xero_connector.key")
        self.env["res.config.settings"].get_views([(False, "form")])
