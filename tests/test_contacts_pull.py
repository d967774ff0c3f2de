"""Xero → Odoo: incremental pull, archive, loop prevention and the conflict rule."""
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.xero_connector.sync.contacts import ContactSync
from odoo.addons.xero_connector.sync.engine import pull

from .contacts_common import ContactsCase

FULL = {
    "Name": "Kea Adventures", "EmailAddress": "hello@kea.example.com", "FirstName": "Mere", "LastName": "Tane",
    "TaxNumber": "98-765-432",
    "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+64 3 555 0123"}],
    "Addresses": [{"AddressType": "STREET", "AddressLine1": "5 Alpine Road", "City": "Queenstown",
                   "PostalCode": "9300", "Country": "NZ"},
                  {"AddressType": "POBOX", "AddressLine1": "PO Box 7", "City": "Queenstown", "Country": "NZ"}],
    "ContactPersons": [{"FirstName": "Sam", "LastName": "Hill", "EmailAddress": "sam@kea.example.com"}],
    "PaymentTerms": {"Sales": {"Day": 30, "Type": "DAYSAFTERBILLDATE"}},
}


@tagged("post_install", "-at_install")
class TestContactsPull(ContactsCase):
    def partner_of(self, contact_id):
        link = self.Link.search([("xero_contact_id", "=", contact_id), ("connection_id", "=", self.connection.id)])
        return link.partner_id.with_context(active_test=False)

    def test_a_contact_created_in_xero_becomes_a_partner_and_nothing_bounces_back(self):
        [contact_id] = self.xero_save(FULL)
        # Website is read-only in Xero's API: set where Xero keeps it.
        store = self.fake.tenant(self.tenant_id).contacts
        store[contact_id] = dict(store[contact_id], Website="https://kea.example.com")
        self.pull()
        partner = self.partner_of(contact_id)
        self.assertTrue(partner)
        self.assertEqual(partner.website, "https://kea.example.com")
        self.assertEqual((partner.name, partner.email, partner.vat, partner.is_company),
                         ("Kea Adventures", "hello@kea.example.com", "98-765-432", True))
        self.assertEqual((partner.phone, partner.street, partner.city, partner.country_id),
                         ("+64 3 555 0123", "5 Alpine Road", "Queenstown", self.env.ref("base.nz")))
        self.assertEqual(partner.company_id, self.env.company)
        term = partner.with_company(self.env.company).property_payment_term_id
        self.assertEqual((term.line_ids.delay_type, term.line_ids.nb_days), ("days_after", 30))
        people = partner.child_ids.filtered(lambda c: c.type == "contact")
        self.assertEqual(sorted(people.mapped("name")), ["Mere Tane", "Sam Hill"])
        self.assertEqual(partner.child_ids.filtered(lambda c: c.type == "invoice").street, "PO Box 7")
        link = self.link(partner)
        self.assertEqual(link.state, "synced")

        self.fake.reset_requests()
        self.push()
        self.assertFalse(self.writes(), "what came from Xero is not sent back")
        self.assertEqual(len(self.contacts()), 1)

    def test_changes_in_xero_update_the_partner_without_bouncing(self):
        partner = self.customer("Weka Tours", email="weka@example.com", phone="+64 3 1")
        self.push()
        link = self.link(partner)
        self.xero_save({"ContactID": link.xero_contact_id, "Name": "Weka Tours NZ",
                        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+64 3 2"}]}, create=False)
        self.pull()
        self.assertEqual((partner.name, partner.phone, partner.email), ("Weka Tours NZ", "+64 3 2", "weka@example.com"))
        self.assertEqual(link.state, "synced")
        self.fake.reset_requests()
        self.push()
        self.assertFalse(self.writes())
        self.pull()
        self.assertEqual(partner.name, "Weka Tours NZ", "a second pull changes nothing")

    def test_archived_in_xero_is_archived_in_odoo_never_deleted(self):
        partner = self.customer("Moa Bikes")
        self.push()
        link = self.link(partner)
        self.xero_save({"ContactID": link.xero_contact_id, "ContactStatus": "ARCHIVED"}, create=False)
        self.pull()
        self.assertTrue(partner.exists())
        self.assertFalse(partner.active)
        self.assertEqual(link.state, "synced")
        self.xero_save({"ContactID": link.xero_contact_id, "ContactStatus": "ACTIVE"}, create=False)
        self.pull()
        self.assertTrue(partner.active)

    def test_unknown_archived_contacts_are_not_imported(self):
        [contact_id] = self.xero_save({"Name": "Gone Ltd"})
        self.xero_save({"ContactID": contact_id, "ContactStatus": "ARCHIVED"}, create=False)
        self.pull()
        self.assertFalse(self.partner_of(contact_id))

    def test_the_watermark_advances_and_a_new_pull_reads_only_changes(self):
        self.xero_save({"Name": "First Contact"}, {"Name": "Second Contact"})
        self.pull()
        mark = self.connection.xero_contacts_pulled_at
        self.assertTrue(mark)
        self.fake.reset_requests()
        self.pull()
        [read] = [r for r in self.fake.requests if r.method == "GET" and "/Contacts" in r.path]
        self.assertIn("If-Modified-Since", read.headers)
        self.assertEqual(self.env["res.partner"].search_count([("name", "in", ["First Contact", "Second Contact"])]), 2)

    def test_a_contact_changed_during_the_pull_shifts_none_of_the_next_page_out_of_reach(self):
        """Pages are read oldest change first; a contact of page 1 changed in Xero before page 2 is
        asked moves to the end of the list. Reading "page 2" of the same query then skips the
        contact that slid into page 1's place, and the watermark passes it."""
        names = ["Page Co %d" % i for i in range(6)]
        ids = [self.xero_save({"Name": name})[0] for name in names]
        edited = []

        def on_page(done):
            if not edited:
                edited.append(done)
                self.xero_save({"ContactID": ids[0], "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "9"}]},
                               create=False)

        with patch.object(ContactSync, "page_size", 3):
            pull.pull(ContactSync(self.connection), on_page=on_page)
        self.env.flush_all()
        self.assertEqual(edited, [3])
        self.assertEqual(sorted(self.env["res.partner"].search([("name", "in", names)]).mapped("name")), names)
        self.assertEqual(self.partner_of(ids[0]).phone, "9", "the change made meanwhile is read too")

    def test_our_contact_number_links_to_the_existing_partner(self):
        partner = self.customer("Numbered Elsewhere")  # waiting for its first push on this connection
        [contact_id] = self.xero_save({"Name": "Numbered Elsewhere", "ContactNumber": "ODOO-%d" % partner.id})
        self.pull()
        self.assertEqual(self.partner_of(contact_id), partner)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Numbered Elsewhere")]), 1)

    def test_a_contact_number_takes_over_no_partner_that_is_not_this_connections_customer(self):
        """A ContactNumber is text anyone can type (or another database wrote): it adopts only a
        commercial partner of this company (or none) already linked to this connection."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        victim = self.env["res.partner"].create({"name": "Victim Person", "company_id": other_company.id,
                                                 "email": "victim@example.com"})
        bystander = self.env["res.partner"].create({"name": "Bystander Ltd", "is_company": True})
        person = self.env["res.partner"].create({"name": "A Person", "parent_id": self.customer("Parent Ltd").id})
        contacts = self.xero_save(*[{"Name": "Stranger %d" % i, "ContactNumber": "ODOO-%d" % p.id,
                                     "EmailAddress": "stranger%d@example.com" % i}
                                    for i, p in enumerate((victim, bystander, person))])
        self.pull()
        for partner, contact_id in zip((victim, bystander, person), contacts):
            self.assertNotEqual(self.partner_of(contact_id), partner)
            self.assertFalse(self.Link.search([("partner_id", "=", partner.id),
                                               ("xero_contact_id", "=", contact_id)]))
        self.assertEqual((victim.name, victim.email), ("Victim Person", "victim@example.com"))
        self.assertEqual(bystander.name, "Bystander Ltd")
        self.assertEqual(person.name, "A Person")

    def test_a_customer_waiting_for_its_first_push_is_matched_not_duplicated(self):
        sure = self.customer("Tax Twin", vat="111-222-333")
        doubt = self.customer("Email Twin", email="twin@example.com")
        [by_tax, by_email] = self.xero_save({"Name": "Tax Twin Limited", "TaxNumber": "111222333"},
                                            {"Name": "Someone", "EmailAddress": "TWIN@example.com"})
        self.pull()
        self.assertEqual(self.link(sure).xero_contact_id, by_tax)
        self.assertTrue(self.link(doubt).needs_review)
        self.assertEqual(self.link(doubt).match_ids.xero_contact_id, by_email)
        self.assertFalse(self.partner_of(by_email), "no partner created while a person decides")
        self.assertEqual(self.partner_of(by_tax), sure, "the waiting customer is that contact: no second partner")

    def test_a_waiting_customer_matched_on_one_page_is_not_moved_by_a_later_page(self):
        partner = self.customer("Waiting Ltd", vat="123456789")
        link = self.link(partner)
        [first] = self.xero_save({"Name": "Waiting Ltd (Auckland)", "TaxNumber": "123-456-789"})
        self.xero_save(*[{"Name": "Filler %d" % i} for i in range(3)])
        [second] = self.xero_save({"Name": "Waiting Ltd (Wellington)", "TaxNumber": "123456789"})
        with patch.object(ContactSync, "page_size", 3):
            pull.pull(ContactSync(self.connection))
        self.env.flush_all()
        self.assertEqual(link.xero_contact_id, first, "the first sure match stays")
        self.assertEqual(self.partner_of(first), partner)
        self.assertFalse(self.partner_of(second), "a second match is doubtful: no partner while a person decides")
        self.assertTrue(link.needs_review)
        self.assertIn(second, link.match_ids.mapped("xero_contact_id"))

    # -- conflicts ------------------------------------------------------------------------------
    def both_change_phone(self, rule, odoo_first):
        self.env["ir.config_parameter"].set_param("xero_connector.conflict_phones", rule)
        partner = self.customer("Conflict Co", phone="+1 000")
        self.push()
        link = self.link(partner)
        partner.phone = "+1 111"  # Odoo's change
        self.xero_save({"ContactID": link.xero_contact_id,
                        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+1 222"}]}, create=False)
        # Xero's change is "now"; Odoo's is placed an hour before or after it.
        shift = timedelta(hours=-1 if odoo_first else 1)
        link.odoo_changed = dict(link.odoo_changed, phones=fields.Datetime.to_string(fields.Datetime.now() + shift))
        self.pull()
        self.push()
        xero_phone = {p["PhoneType"]: p["PhoneNumber"] for p in self.xero_contact(link.xero_contact_id)["Phones"]}
        self.assertEqual(partner.phone, xero_phone["DEFAULT"], "both sides agree in the end")
        self.assertEqual(link.state, "synced")
        return partner.phone

    def test_conflict_odoo_wins(self):
        self.assertEqual(self.both_change_phone("odoo", odoo_first=True), "+1 111")

    def test_conflict_xero_wins(self):
        self.assertEqual(self.both_change_phone("xero", odoo_first=False), "+1 222")

    def test_conflict_newest_wins(self):
        self.assertEqual(self.both_change_phone("newest", odoo_first=True), "+1 222")

    def test_conflict_newest_wins_when_odoo_is_newer(self):
        self.assertEqual(self.both_change_phone("newest", odoo_first=False), "+1 111")

    def test_groups_changed_on_one_side_each_merge(self):
        partner = self.customer("Merge Co", phone="+1 000", email="old@merge.example.com")
        self.push()
        link = self.link(partner)
        partner.email = "new@merge.example.com"
        self.xero_save({"ContactID": link.xero_contact_id,
                        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+1 999"}]}, create=False)
        self.push()  # reads the contact first: takes Xero's phone, sends only Odoo's identity
        contact = self.xero_contact(link.xero_contact_id)
        self.assertEqual((partner.phone, contact["EmailAddress"]), ("+1 999", "new@merge.example.com"))
        self.assertEqual({p["PhoneType"]: p["PhoneNumber"] for p in contact["Phones"]}["DEFAULT"], "+1 999")
