"""Odoo → Xero: customers created and updated in Xero by the scheduled action, through the fake over HTTP.
(What the scheduled action does when Xero or the quota stops it: test_engine_policy.)"""
from odoo.tests import tagged

from .contacts_common import ContactsCase


@tagged("post_install", "-at_install")
class TestContactsPush(ContactsCase):
    def test_a_confirmed_order_sends_the_customer_with_its_people_and_terms(self):
        nz = self.env.ref("base.nz")
        company = self.env["res.partner"].create({
            "name": "Kiwi Widgets", "is_company": True, "email": "accounts@kiwi.example.com", "phone": "+64 9 555 0101",
            "mobile": "+64 21 555 0101", "street": "1 Queen Street", "city": "Auckland", "zip": "1010",
            "country_id": nz.id, "vat": "NZ-49-091-850", "website": "https://kiwi.example.com",
            "property_payment_term_id": self.term_30.id})
        self.env["res.partner"].create([
            {"name": "Aroha Ngata", "parent_id": company.id, "type": "contact", "email": "aroha@kiwi.example.com"},
            {"name": "Ben Smith", "parent_id": company.id, "type": "contact", "email": "ben@kiwi.example.com"},
            {"parent_id": company.id, "type": "invoice", "street": "PO Box 99", "city": "Wellington",
             "country_id": nz.id}])
        self.assertFalse(self.link(company), "not a customer yet")
        order = self.env["sale.order"].create({
            "partner_id": company.child_ids[0].id,
            "order_line": [(0, 0, {"product_id": self.env.ref("product.product_product_4").id})]})
        order.action_confirm()
        link = self.link(company)
        self.assertEqual(link.state, "pending", "the order's commercial entity is the customer")

        self.push()
        self.assertEqual(link.state, "synced", link.error)
        [contact] = self.in_xero("Kiwi Widgets")
        self.assertEqual(link.xero_contact_id, contact["ContactID"])
        self.assertEqual(company.xero_contact_id, contact["ContactID"])
        self.assertEqual(company.child_ids[0].xero_contact_id, contact["ContactID"], "children roll up")
        self.assertEqual(contact["ContactNumber"], "ODOO-%d" % company.id)
        self.assertEqual(contact["EmailAddress"], "accounts@kiwi.example.com")
        self.assertEqual((contact["FirstName"], contact["LastName"]), ("Aroha", "Ngata"))
        self.assertEqual([(p["FirstName"], p["EmailAddress"]) for p in contact["ContactPersons"]],
                         [("Ben", "ben@kiwi.example.com")])
        self.assertEqual(contact["TaxNumber"], "NZ-49-091-850")
        self.assertEqual(contact["PaymentTerms"], {"Sales": {"Day": 30, "Type": "DAYSAFTERBILLDATE"}})
        self.assertEqual(contact["DefaultCurrency"], (company.property_product_pricelist.currency_id
                                                     or self.env.company.currency_id).name)
        phones = {p["PhoneType"]: p["PhoneNumber"] for p in contact["Phones"]}
        self.assertEqual((phones["DEFAULT"], phones["MOBILE"]), ("+64 9 555 0101", "+64 21 555 0101"))
        addresses = {a["AddressType"]: a for a in contact["Addresses"]}
        self.assertEqual((addresses["STREET"]["AddressLine1"], addresses["STREET"]["Country"]),
                         ("1 Queen Street", "New Zealand"))
        self.assertEqual(addresses["POBOX"]["AddressLine1"], "PO Box 99")
        self.assertNotIn("Website", self.fake.requests[-1].json["Contacts"][0], "read-only in Xero")
        log = self.env["xero.sync.log"].search([("res_id", "=", company.id), ("model", "=", "res.partner")])
        self.assertEqual(log.mapped("result"), ["success"])

    def test_a_change_sends_only_its_group_and_an_unchanged_partner_is_never_sent(self):
        partner = self.customer("Harbour Cafe", email="hello@harbour.example.com", phone="+64 4 555 0000")
        self.push()
        link = self.link(partner)
        self.assertEqual(link.state, "synced")

        self.fake.reset_requests()
        partner.write({"comment": "<p>likes flat whites</p>"})
        self.assertEqual(link.state, "synced", "not a synced field")
        partner.write({"name": "Harbour Cafe"})
        self.assertEqual(link.state, "pending")
        self.push()
        self.assertEqual(link.state, "synced")
        self.assertFalse(self.writes(), "same values: nothing sent")

        partner.write({"phone": "+64 4 555 1111"})
        self.push()
        [post] = self.writes()
        self.assertEqual(post.method, "POST")
        self.assertEqual(set(post.json["Contacts"][0]), {"ContactID", "Phones"})
        contact = self.xero_contact(link.xero_contact_id)
        self.assertEqual({p["PhoneType"]: p["PhoneNumber"] for p in contact["Phones"]}["DEFAULT"], "+64 4 555 1111")
        self.assertEqual(contact["Name"], "Harbour Cafe")

    def test_a_child_change_updates_its_company_contact_persons(self):
        partner = self.customer("Totara Builders")
        self.env["res.partner"].create({"name": "Main Person", "parent_id": partner.id, "email": "main@t.example.com"})
        second = self.env["res.partner"].create({"name": "Second Person", "parent_id": partner.id})
        self.push()
        link = self.link(partner)
        self.assertEqual(link.state, "synced")
        second.email = "second@t.example.com"
        self.assertEqual(link.state, "pending", "a person's change marks the company")
        self.push()
        contact = self.xero_contact(link.xero_contact_id)
        self.assertEqual(contact["ContactPersons"][0]["EmailAddress"], "second@t.example.com")
        self.assertFalse(self.Link.search([("partner_id", "=", second.id)]), "children have no link of their own")

    def test_archiving_in_odoo_archives_in_xero(self):
        partner = self.customer("Old Customer")
        self.push()
        link = self.link(partner)
        partner.active = False
        self.push()
        self.assertEqual(self.xero_contact(link.xero_contact_id)["ContactStatus"], "ARCHIVED")
        partner.active = True
        self.push()
        self.assertEqual(self.xero_contact(link.xero_contact_id)["ContactStatus"], "ACTIVE")

    def test_bad_input_is_a_readable_error_on_that_partner_and_the_batch_goes_on(self):
        long_name = self.customer("L" * 500)
        unicode_name = self.customer("Zoë Åberg & Søn 株式会社", email="zoe@aberg.example.com")
        no_email = self.customer("No Email Ltd")
        bad_email = self.customer("Bad Email Ltd", email="not an address")
        umlaut_email = self.customer("Umlaut GmbH", email="jürgen@müller.example.de")
        good = self.customer("Good Ltd", email="good@example.com")
        self.push()

        for partner in (unicode_name, no_email, good):
            self.assertEqual(self.link(partner).state, "synced", self.link(partner).error)
            self.assertEqual(len(self.in_xero(partner.name)), 1)
        errors = {p: self.link(p) for p in (long_name, bad_email, umlaut_email)}
        for partner, link in errors.items():
            self.assertEqual(link.state, "error")
            self.assertFalse(link.xero_contact_id)
        self.assertIn("Xero accepts at most 255", errors[long_name].error)
        self.assertTrue(errors[long_name].error.startswith("L" * 50), "names the partner")
        self.assertIn("Email", errors[bad_email].error)
        self.assertIn("not an address", errors[bad_email].error)
        self.assertIn("jürgen@müller.example.de", errors[umlaut_email].error)
        names = {c["Name"] for c in self.contacts()}
        self.assertEqual(names, {unicode_name.name, no_email.name, good.name}, "nothing half-written in Xero")
        self.assertEqual(long_name.name, "L" * 500, "nor in Odoo")
        self.assertEqual(self.env["xero.sync.log"].search_count([("result", "=", "error"),
                                                                 ("res_id", "in", [p.id for p in errors])]), 3)

        # Fixed in Odoo: sent with the next run.
        bad_email.email = "fixed@example.com"
        self.assertEqual(self.link(bad_email).state, "pending")
        self.push()
        self.assertEqual(self.link(bad_email).state, "synced")

    def test_a_name_taken_in_xero_is_an_error_with_the_review_options_never_a_second_contact(self):
        first = self.customer("Twin Trading", email="one@twin.example.com")
        self.push()
        second = self.customer("Twin Trading", email="two@twin.example.com")
        self.push()
        link = self.link(second)
        self.assertEqual(len(self.in_xero("Twin Trading")), 1)
        self.assertEqual(link.state, "error")
        self.assertTrue(link.needs_review)
        self.assertIn("already used by another active contact", link.error)
        self.assertEqual(link.match_ids.xero_contact_id, self.link(first).xero_contact_id)
        self.assertIn("Xero refused", link.match_ids.evidence)

        self.push()
        self.assertEqual(len(self.in_xero("Twin Trading")), 1, "a review waits: it is not retried blindly")

    def test_two_customers_with_one_name_in_one_batch_create_one_contact(self):
        self.customer("Same Name Co", email="a@same.example.com")
        self.customer("Same Name Co", email="b@same.example.com")
        self.push()
        self.assertEqual(len(self.in_xero("Same Name Co")), 1)
        states = sorted(self.Link.search([("partner_id.name", "=", "Same Name Co")]).mapped("state"))
        self.assertEqual(states, ["error", "synced"])

    def test_paused_connection_sends_nothing_and_resumes(self):
        self.connection.contacts_paused = True
        partner = self.customer("Paused Ltd")
        self.push()
        self.assertEqual(self.link(partner).state, "pending")
        self.assertFalse(self.contacts())
        self.connection.contacts_paused = False
        self.push()
        self.assertEqual(self.link(partner).state, "synced")

    def test_resync_button_sends_again(self):
        partner = self.customer("Resync Ltd", email="r@example.com")
        self.push()
        contact_id = self.link(partner).xero_contact_id
        self.fake.reset_requests()
        partner.action_xero_resync()
        self.assertEqual(self.link(partner).state, "synced")
        [post] = self.writes()
        self.assertEqual(post.json["Contacts"][0]["ContactID"], contact_id)
        self.assertEqual(len(self.contacts()), 1)

    def test_customers_existing_before_the_connection_get_linked(self):
        order = self.env["sale.order"].search([("state", "=", "sale"), ("company_id", "=", self.env.company.id)],
                                              limit=1)
        self.assertTrue(order, "demo data has confirmed orders")
        self.connection.contacts_linked_at = False
        self.push()
        self.assertTrue(self.link(order.partner_id))
        self.assertTrue(self.connection.contacts_linked_at)

    def test_the_same_value_set_again_after_xero_changed_it_reaches_xero(self):
        """Odoo sends phone B, a Xero user sets C (pulled into Odoo), Odoo sets B again: the second
        B is the same request body as the first, yet it must be written (not replayed under the
        first one's Idempotency-Key while the link says synced)."""
        partner = self.customer("Replay Ltd", phone="A")
        self.push()
        link = self.link(partner)
        contact_id = link.xero_contact_id
        partner.phone = "B"
        self.push()
        self.assertEqual(self.xero_contact(contact_id)["Phones"][0]["PhoneNumber"], "B")
        self.xero_save({"ContactID": contact_id, "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "C"}]},
                       create=False)
        self.pull()
        self.assertEqual(partner.phone, "C")
        partner.phone = "B"
        self.push()
        self.assertEqual(link.state, "synced", link.error)
        phones = {p["PhoneType"]: p["PhoneNumber"] for p in self.xero_contact(contact_id)["Phones"]}
        self.assertEqual(phones["DEFAULT"], "B")

    def test_switching_to_another_organisation_links_and_reads_everything_again(self):
        partner = self.customer("Moving Ltd", email="moving@example.com")
        self.push()
        self.pull()
        link = self.link(partner)
        self.assertTrue(link.xero_contact_id and self.connection.xero_contacts_pulled_at)
        other = self.fake.add_tenant("Other Organisation Ltd")
        self.fake.add_app("OTHERCONTACTSAPP", "other-secret", tenants=[other], custom=True)
        self.connection.write({"client_id": "OTHERCONTACTSAPP", "client_secret": "other-secret"})
        self.connect()
        self.assertEqual(self.connection.tenant_id, other)
        self.assertFalse(self.connection.xero_contacts_pulled_at, "the new organisation is read from the start")
        self.assertTrue(self.connection.contacts_linked_at, "the customers are linked again, at Connect")
        self.assertEqual((link.state, link.xero_contact_id, link.xero_hashes), ("pending", False, False))
        for _run in range(10):  # the demo database's customers go too, 50 a run
            if link.state != "pending":
                break
            self.push()
        self.assertEqual(link.state, "synced", link.error)
        contact = self.fake.tenant(other).contacts[link.xero_contact_id]
        self.assertEqual(contact["Name"], "Moving Ltd")

    def test_an_update_keeps_what_xero_has_and_odoo_cannot_hold(self):
        """People without a name (an accounts e-mail), "include in emails" flags, and a region or
        country Odoo does not know are not erased by an update of the same field group."""
        [contact_id] = self.xero_save({
            "Name": "Lossy Ltd", "FirstName": "Ann", "LastName": "Boss",
            "ContactPersons": [{"FirstName": "Acc", "LastName": "Ounts", "EmailAddress": "ap@lossy.example",
                                "IncludeInEmails": True},
                               {"EmailAddress": "invoices@lossy.example", "IncludeInEmails": True}],
            "Addresses": [{"AddressType": "STREET", "AddressLine1": "1 Main St", "City": "Town",
                           "Region": "Westshire", "Country": "Westland"}]})
        self.pull()
        partner = self.Link.search([("xero_contact_id", "=", contact_id)]).partner_id
        self.assertFalse(partner.country_id, "Odoo has no such country")
        partner.write({"name": "Lossy Limited", "street": "2 Main St"})
        self.push()
        self.assertEqual(self.link(partner).state, "synced", self.link(partner).error)
        contact = self.xero_contact(contact_id)
        self.assertEqual(contact["Name"], "Lossy Limited")
        persons = {p.get("EmailAddress"): p for p in contact.get("ContactPersons") or []}
        self.assertEqual(set(persons), {"ap@lossy.example", "invoices@lossy.example"})
        self.assertTrue(persons["ap@lossy.example"]["IncludeInEmails"])
        self.assertTrue(persons["invoices@lossy.example"]["IncludeInEmails"])
        [street] = [a for a in contact["Addresses"] if a["AddressType"] == "STREET"]
        self.assertEqual((street["AddressLine1"], street.get("Region"), street.get("Country")),
                         ("2 Main St", "Westshire", "Westland"))
        self.fake.reset_requests()
        self.pull()
        self.push()
        self.assertFalse(self.writes(), "nothing bounces")
        self.assertEqual(self.link(partner).state, "synced")
