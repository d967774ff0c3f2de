"""A partner shared by two companies, each with its own Xero organisation; settings; access."""
from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged, new_test_user

from .contacts_common import ContactsCase

SECOND_ID = "SECONDCLIENTID000000000000000002"
SECOND_SECRET = "second-custom-connection-secret"


@tagged("post_install", "-at_install")
class TestContactsCompanies(ContactsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tenant2 = cls.fake.add_tenant("Second Organisation")
        cls.fake.add_app(SECOND_ID, SECOND_SECRET, tenants=[cls.tenant2], custom=True)
        cls.company2 = cls.env["res.company"].create({"name": "Second Company"})
        cls.connection2 = cls.env["xero.connection"].create({
            "name": "Second", "company_id": cls.company2.id, "client_id": SECOND_ID, "client_secret": SECOND_SECRET,
            "contacts_linked_at": "2026-01-01 00:00:00"})

    def setUp(self):
        super().setUp()
        self.fake.tenant(self.tenant2).contacts.clear()
        self.connection2.action_connect()
        self.assertEqual(self.connection2.tenant_id, self.tenant2)

    def test_a_shared_partner_has_one_contact_per_organisation(self):
        partner = self.customer("Shared Customer Ltd", email="shared@example.com")
        links = partner.xero_link_ids
        self.assertEqual(links.connection_id, self.connection | self.connection2)
        self.push()
        self.assertEqual(set(links.mapped("state")), {"synced"})
        first = self.fake.tenant(self.tenant_id).contacts
        second = self.fake.tenant(self.tenant2).contacts
        self.assertEqual((len(first), len(second)), (1, 1))
        self.assertIn(partner.xero_contact_id, first)
        self.assertIn(partner.with_company(self.company2).xero_contact_id, second)
        self.assertNotEqual(partner.xero_contact_id, partner.with_company(self.company2).xero_contact_id)
        found = self.env["res.partner"].with_company(self.company2).search(
            [("xero_contact_id", "=", partner.with_company(self.company2).xero_contact_id)])
        self.assertEqual(found, partner)

    def test_a_change_pulled_from_one_organisation_is_sent_to_the_other(self):
        partner = self.customer("Shared Phone Ltd", phone="111")
        self.push()
        links = partner.xero_link_ids
        self.assertEqual(set(links.mapped("state")), {"synced"})
        first = links.filtered(lambda link: link.connection_id == self.connection)
        second = links - first
        # The first organisation's bookkeeper changes the phone in Xero.
        self.xero_save({"ContactID": first.xero_contact_id,
                        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "222"}]}, create=False)
        self.pull()
        self.assertEqual(partner.phone, "222")
        self.assertEqual((first.state, second.state), ("synced", "pending"), "no bounce; the other hears of it")
        self.push()
        phones = {p["PhoneType"]: p["PhoneNumber"]
                  for p in self.fake.tenant(self.tenant2).contacts[second.xero_contact_id]["Phones"]}
        self.assertEqual(phones["DEFAULT"], "222")
        self.assertEqual(set(links.mapped("state")), {"synced"})

    def test_a_company_partner_goes_to_its_company_organisation_only(self):
        partner = self.customer("Second Only Ltd", company_id=self.company2.id)
        self.assertEqual(partner.xero_link_ids.connection_id, self.connection2)
        self.push()
        self.assertEqual(len(self.fake.tenant(self.tenant2).contacts), 1)
        self.assertFalse(self.contacts())

    def test_a_company_sees_only_its_own_links(self):
        partner = self.customer("Rule Check Ltd")
        user = new_test_user(self.env, "xero_rule_user", groups="base.group_user,xero_connector.group_xero_user",
                             company_id=self.env.company.id, company_ids=[self.env.company.id])
        visible = self.env["xero.partner.link"].with_user(user).search([("partner_id", "=", partner.id)])
        self.assertEqual(visible.connection_id, self.connection)
        states = self.env["xero.sync.state"].with_user(user).search([])
        self.assertEqual(states.connection_id, self.connection, "each organisation's sync state is its company's")
        self.assertEqual(set(states.mapped("object")), {
            "contacts", "items", "quotes", "invoices", "receivable_invoices", "receivable_credit_notes"})

    def test_settings_pause_and_conflict_rules(self):
        state = self.env["xero.sync.state"]._for(self.connection, "contacts")
        state.write({"pulled_at": "2026-11-30 10:00:00", "linked_at": "2026-01-01 00:00:00"})
        self.connection.invalidate_recordset()
        settings = self.env["res.config.settings"].create({"xero_contacts_paused": True,
                                                           "xero_conflict_phones": "xero"})
        settings.execute()
        self.assertTrue(self.connection.contacts_paused)
        self.assertEqual((fields.Datetime.to_string(state.pulled_at), fields.Datetime.to_string(state.linked_at)),
                         ("2026-11-30 10:00:00", "2026-01-01 00:00:00"), "pausing keeps the watermark")
        self.assertEqual(self.env["ir.config_parameter"].get_param("xero_connector.conflict_phones"), "xero")
        self.env["res.config.settings"].get_views([(False, "form")])
        self.env["res.partner"].get_views([(False, "form")])
        self.env["xero.partner.link"].get_views([(False, "list"), (False, "form"), (False, "search")])
        self.env["xero.contact.match.wizard"].get_views([(False, "form")])

    def test_resync_needs_a_xero_user(self):
        partner = self.customer("Access Ltd")
        employee = new_test_user(self.env, "plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            partner.with_user(employee).action_xero_resync()
        user = new_test_user(self.env, "xero_salesman", groups="base.group_user,xero_connector.group_xero_user")
        partner.with_user(user).action_xero_resync()
        self.assertEqual(self.link(partner).state, "synced")

    def test_salespeople_are_xero_users_unless_an_administrator_takes_it_away(self):
        salesman = new_test_user(self.env, "new_salesman", groups="base.group_user,sales_team.group_sale_salesman")
        self.assertTrue(salesman.has_group("xero_connector.group_xero_user"), "by default")
        demo = self.env.ref("base.user_demo", raise_if_not_found=False)
        if demo and demo.has_group("sales_team.group_sale_salesman"):
            self.assertTrue(demo.has_group("xero_connector.group_xero_user"), "existing salespeople too")
        salesmen = self.env.ref("sales_team.group_sale_salesman")
        xero_users = self.env.ref("xero_connector.group_xero_user")
        salesmen.implied_ids -= xero_users
        later = new_test_user(self.env, "later_salesman", groups="base.group_user,sales_team.group_sale_salesman")
        self.assertFalse(later.has_group("xero_connector.group_xero_user"), "taken away for new salespeople")
        self.assertTrue(salesman.has_group("xero_connector.group_xero_user"), "current ones keep it...")
        salesman.write({"groups_id": [Command.unlink(xero_users.id)]})
        self.assertFalse(salesman.has_group("xero_connector.group_xero_user"), "...until taken away one by one")
