"""What a newcomer meets first: Connect sets the existing customers going at once and says so;
the customer's Xero tab shows one status, one Resync and a link into Xero, or nothing to click
before a connection exists."""
import socket

from odoo import Command, fields
from odoo.tests import tagged

from ..xero.endpoints import Endpoints
from .common import CLIENT_SECRET, point_at
from .contacts_common import ContactsCase


@tagged("post_install", "-at_install")
class TestFirstMinutes(ContactsCase):
    def new_company_connection(self, name):
        tenant_id = self.fake.add_tenant("%s org" % name)
        self.fake.add_app("app-%s" % name, CLIENT_SECRET, tenants=[tenant_id], custom=True)
        company = self.env["res.company"].create({"name": name})
        self.env.user.company_ids |= company
        point_at(self.env, self.fake_url)
        connection = self.env["xero.connection"].create({"name": name, "client_id": "app-%s" % name,
                                                         "client_secret": CLIENT_SECRET, "company_id": company.id})
        self.env["xero.sync.state"]._for(connection, "items").paused = True  # customers only, here
        return company, connection

    def test_connect_queues_existing_customers_at_once_and_says_how_many(self):
        company, connection = self.new_company_connection("Fresh Co")
        buyers = self.env["res.partner"].create([{"name": "Buyer %s Ltd" % i, "is_company": True} for i in (1, 2)])
        product = self.env["product.product"].create({"name": "Tea", "list_price": 5.0})
        for buyer in buyers:
            order = self.env["sale.order"].with_company(company).create({
                "partner_id": buyer.id, "company_id": company.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
            order.action_confirm()
        push_cron = self.env.ref("xero_connector.ir_cron_xero_push")
        self.env["ir.cron.trigger"].search([("cron_id", "=", push_cron.id)]).unlink()
        action = connection.action_connect()
        self.assertIn("2 customers are being sent to Xero now", action["params"]["message"])
        links = self.Link.search([("connection_id", "=", connection.id)])
        self.assertEqual(links.partner_id, buyers)
        self.assertEqual(set(links.mapped("state")), {"pending"})
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", push_cron.id)]), "the push starts now")

    def test_the_customer_s_tab_links_into_xero_once_synced(self):
        partner = self.customer("Linked Ltd")
        self.assertTrue(partner.xero_connected)
        self.push()
        short_code = self.fake.tenant(self.tenant_id).organisation["ShortCode"]
        self.assertEqual(partner.xero_url, "https://go.xero.com/app/%s/contacts/contact/%s" % (
            short_code, self.link(partner).xero_contact_id))

    def test_nothing_to_click_before_a_connection_exists(self):
        company = self.env["res.company"].create({"name": "Unconnected Co"})
        partner = self.env["res.partner"].create({"name": "Somebody Ltd", "company_id": company.id})
        self.assertFalse(partner.with_company(company).xero_connected)
        self.assertFalse(partner.with_company(company).xero_url)

    def test_the_sync_log_says_what_happened_in_words(self):
        partner = self.customer("Logged Ltd")
        self.push()
        row = self.env["xero.sync.log"].search([("res_id", "=", partner.id), ("model", "=", "res.partner")], limit=1)
        self.assertEqual(row.action, "Created in Xero")
        self.assertEqual(row.record_ref, partner)
        Log = self.env["xero.sync.log"]
        for operation, direction, words in (("update", "in", "Updated in Odoo"),
                                            ("GET Contacts page 3", "in", "Read contacts from Xero (page 3)"),
                                            ("PUT Items", "out", "Create products in Xero"),
                                            ("DELETE Connections", "out", "Disconnect from Xero")):
            row = Log.new({"operation": operation, "direction": direction})
            self.assertEqual(row.action, words)

    def test_when_xero_cannot_be_reached_people_are_told_once_and_when_it_is_tried_again(self):
        partner = self.customer("Unreachable Ltd")
        self.patch(type(self.connection), "_xero_endpoints", lambda connection: self._closed_endpoints())
        action = self.connection.action_test()
        self.assertEqual(action["params"]["message"], "Xero could not be reached.")
        Log = self.env["xero.sync.log"]
        before = Log.search_count([])
        action = partner.action_xero_resync()
        link = self.link(partner)
        self.assertEqual(link.state, "error")
        self.assertTrue(link.next_retry, "kept for an automatic retry")
        self.assertEqual(link.error, "Xero could not be reached. It will be tried again automatically.")
        self.assertEqual(partner.xero_next_retry, link.next_retry, "the customer shows when, in its reader's time")
        when = fields.Datetime.context_timestamp(link, link.next_retry).strftime("%H:%M")
        self.assertEqual(action["params"]["message"], "%s Next try at %s." % (link.error, when),
                         "said at once to the person who clicked, on their clock")
        self.assertTrue(self.connection.unreachable_since, "the connection says Xero is unreachable")
        self.assertEqual(self.env["res.config.settings"].create({}).xero_unreachable_since,
                         self.connection.unreachable_since, "and so does Settings → Xero")
        rows = Log.search([], limit=Log.search_count([]) - before)
        calls = rows.filtered(lambda r: r.result == "error" and r.operation.startswith(("GET", "PUT", "POST")))
        self.assertEqual(len(calls), 1, "one row for the failed action, its attempts counted in it")
        self.assertIn("attempts", calls.message)
        self.patch(type(self.connection), "_xero_endpoints", lambda connection: self._open_endpoints())
        self.connection.action_test()
        self.assertFalse(self.connection.unreachable_since, "until a call gets an answer again")

    def _open_endpoints(self):
        url = self.fake_url.rstrip("/")
        return Endpoints(api_url=url, identity_url=url, login_url=url)

    def _closed_endpoints(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()  # nothing listens there any more
        url = "http://127.0.0.1:%d" % port
        return Endpoints(api_url=url, identity_url=url, login_url=url)

    def test_one_field_points_odoo_at_a_sandbox(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.xero_server_url, self.fake_url.rstrip("/"), "the tests' fake, for all three")
        settings.xero_server_url = "http://127.0.0.1:8899/"
        settings.execute()
        endpoints = self.connection._xero_endpoints()
        self.assertEqual((endpoints.api_url, endpoints.identity_url, endpoints.login_url),
                         ("http://127.0.0.1:8899",) * 3)
        settings = self.env["res.config.settings"].create({"xero_server_url": False})
        settings.execute()
        self.assertEqual(self.connection._xero_endpoints().api_url, "https://api.xero.com", "Xero itself again")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("xero_connector.api_url", "http://proxy.example/")
        params.set_param("xero_connector.identity_url", "http://identity.example/")
        self.env["res.config.settings"].create({}).execute()
        self.assertEqual(params.get_param("xero_connector.identity_url"), "http://identity.example/",
                         "saving Settings keeps addresses set apart by hand")
