"""Matching a customer to the contact Xero already has, before its first push, and the review wizard."""
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.contacts import ContactSync, match as contact_match

from .contacts_common import ContactsCase


@tagged("post_install", "-at_install")
class TestContactsMatch(ContactsCase):
    def puts(self):
        return [r for r in self.writes() if r.method == "PUT"]

    def test_contact_number_is_a_sure_match(self):
        self.env["ir.config_parameter"].set_param("xero_connector.conflict_identity", "odoo")
        partner = self.customer("Numbered Ltd", email="n@example.com", phone="+64 9 1")
        [contact_id] = self.xero_save({"Name": "Numbered Limited (old)", "ContactNumber": "ODOO-%d" % partner.id})
        self.fake.reset_requests()
        self.push()
        link = self.link(partner)
        self.assertEqual((link.state, link.xero_contact_id), ("synced", contact_id), link.error)
        self.assertFalse(self.puts(), "linked, not created")
        self.assertEqual(len(self.contacts()), 1)
        contact = self.xero_contact(contact_id)
        self.assertEqual((contact["Name"], contact["EmailAddress"]), ("Numbered Ltd", "n@example.com"),
                         "first link: the identity's owner (Odoo here) wins")
        self.assertEqual({p["PhoneType"]: p["PhoneNumber"] for p in contact["Phones"]}["DEFAULT"], "+64 9 1",
                         "a group Xero had empty takes Odoo's values")

    def test_tax_number_is_a_sure_match(self):
        partner = self.customer("Taxed Ltd", vat="123 456 789")
        [contact_id] = self.xero_save({"Name": "Taxed Limited", "TaxNumber": "123-456-789"})
        self.push()
        self.assertEqual(self.link(partner).xero_contact_id, contact_id)
        self.assertEqual(len(self.contacts()), 1)

    def test_same_email_is_doubtful_and_the_admin_confirms(self):
        partner = self.customer("Pohutukawa Florist", email="Orders@Pohutukawa.example.com")
        [contact_id] = self.xero_save({"Name": "P. Florist", "EmailAddress": "orders@pohutukawa.example.com"})
        self.push()
        link = self.link(partner)
        self.assertEqual(link.state, "error")
        self.assertTrue(link.needs_review)
        self.assertIn("may already be this customer", link.error)
        self.assertEqual(link.match_ids.xero_contact_id, contact_id)
        self.assertIn("Same e-mail address", link.match_ids.evidence)
        self.assertEqual(len(self.contacts()), 1, "nothing created while in doubt")

        action = link.action_review()
        wizard = self.env["xero.contact.match.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_id.xero_contact_id, contact_id)
        wizard.action_link()
        self.assertEqual((link.state, link.xero_contact_id, link.needs_review), ("synced", contact_id, False))
        self.assertFalse(link.match_ids)
        self.assertEqual(len(self.contacts()), 1)

    def test_similar_name_is_doubtful_and_the_admin_creates_a_new_contact(self):
        partner = self.customer("ACME Ltd")
        self.xero_save({"Name": "Acme Limited"})
        self.push()
        link = self.link(partner)
        self.assertTrue(link.needs_review)
        self.assertIn("Similar name", link.match_ids.evidence)
        wizard = self.env["xero.contact.match.wizard"].browse(link.action_review()["res_id"])
        wizard.action_create()
        self.assertEqual(link.state, "synced", link.error)
        self.assertEqual(sorted(c["Name"] for c in self.contacts()), ["ACME Ltd", "Acme Limited"])

    def test_create_new_is_refused_while_the_name_is_taken(self):
        partner = self.customer("Kauri Timber")
        self.xero_save({"Name": "KAURI TIMBER", "EmailAddress": "k@example.com"})
        self.push()
        link = self.link(partner)
        self.assertEqual(link.match_ids.rules, "same_name")
        wizard = self.env["xero.contact.match.wizard"].browse(link.action_review()["res_id"])
        with self.assertRaisesRegex(UserError, "already has an active contact named"):
            wizard.action_create()
        self.assertEqual(len(self.contacts()), 1)

    def test_the_admin_links_another_contact_found_live(self):
        partner = self.customer("Rimu Joinery", email="office@rimu.example.com")
        self.xero_save({"Name": "Rimu Joinery Old", "EmailAddress": "office@rimu.example.com"})
        [other] = self.xero_save({"Name": "R.J. Trading", "EmailAddress": "rj@example.com"})
        self.push()
        link = self.link(partner)
        wizard = self.env["xero.contact.match.wizard"].browse(link.action_review()["res_id"])
        wizard.search_term = "R.J."
        wizard.action_search()
        found = wizard.line_ids.filtered(lambda line: line.xero_contact_id == other)
        self.assertTrue(found)
        wizard.line_id = found
        wizard.action_link()
        self.assertEqual(link.xero_contact_id, other)
        self.assertEqual(len(self.contacts()), 2)

    def test_a_contact_linked_to_another_partner_cannot_be_linked_twice(self):
        first = self.customer("Matai Farms", email="one@matai.example.com")
        self.push()
        second = self.customer("Matai Farms Ltd", email="two@matai.example.com")
        self.push()
        link = self.link(second)
        self.assertFalse(link.needs_review, "a linked contact is no candidate")
        self.assertEqual(link.state, "synced")
        wizard = self.env["xero.contact.match.wizard"].create({"link_id": link.id, "line_ids": [(0, 0, {
            "xero_contact_id": self.link(first).xero_contact_id, "name": "Matai Farms"})]})
        wizard.line_id = wizard.line_ids
        with self.assertRaisesRegex(UserError, "already linked to partner"):
            wizard.action_link()

    def test_ambiguous_tax_number_goes_to_review_with_every_candidate(self):
        partner = self.customer("Twin Tax Ltd", vat="555")
        self.xero_save({"Name": "Branch North", "TaxNumber": "555"}, {"Name": "Branch South", "TaxNumber": "555"})
        self.push()
        link = self.link(partner)
        self.assertTrue(link.needs_review)
        self.assertEqual(sorted(link.match_ids.mapped("xero_name")), ["Branch North", "Branch South"])

    def test_where_queries_find_the_same_matches_as_a_full_read(self):
        email = self.customer("Kowhai Books", email="Books@Kowhai.example.com")
        number = self.customer("Number Two")
        name = self.customer("Tui Brewing Co")
        plain = self.customer("Nobody Else")
        self.xero_save({"Name": "Kowhai", "EmailAddress": "books@kowhai.example.com"},
                       {"Name": "Another Name", "ContactNumber": "ODOO-%d" % number.id},
                       {"Name": "TUI BREWING LIMITED"}, {"Name": "Unrelated"})
        self.fake.reset_requests()
        with patch.object(contact_match, "read_strategy", return_value="where"):
            self.push()
        reads = [r for r in self.fake.requests if r.method == "GET" and "/Contacts" in r.path]
        self.assertTrue(reads and all("where" in r.query for r in reads if "IDs" not in r.query))
        self.assertTrue(self.link(email).needs_review)
        self.assertEqual(self.link(number).state, "synced")
        self.assertTrue(self.link(name).needs_review)
        self.assertEqual(self.link(plain).state, "synced")
        self.assertEqual(len(self.contacts()), 5)

    def test_read_strategy_counts_calls(self):
        run = ContactSync(self.connection)
        self.assertEqual(contact_match.read_strategy(run, 500), "scan", "few known contacts: one page")
        self.env["xero.partner.link"].create([{
            "partner_id": p.id, "connection_id": self.connection.id, "xero_contact_id": "id-%d" % p.id}
            for p in self.env["res.partner"].search([], limit=30)])
        with patch.object(contact_match, "PAGE", 10):
            self.assertEqual(contact_match.read_strategy(run, 3), "where")
            self.assertEqual(contact_match.read_strategy(run, 100), "scan")
