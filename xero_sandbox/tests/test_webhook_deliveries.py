"""The fake's webhook: Xero's intent-to-receive check of the delivery URL, then signed deliveries
of the changes of contacts and invoices, as an app's receiver gets them."""
import http.server
import json
import threading
import time

import pytest
import requests
from sales import invoice, line

from xero import webhooks

KEY = "sandbox-webhook-key-0123456789"


class Receiver:
    """An app's delivery URL: 200 to what ``key`` signed, 401 otherwise (``honest``); or 200 to
    everything, as a careless receiver would."""

    def __init__(self, honest=True):
        self.events, self.honest = [], honest
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signed = webhooks.is_signed(body, self.headers.get(webhooks.SIGNATURE_HEADER), KEY)
                if signed:
                    receiver.events.extend(webhooks.events(body))
                self.send_response(200 if signed or not receiver.honest else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, resource_id, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.events if e.resource_id == resource_id.lower()]
            if found:
                return found
            time.sleep(0.05)
        return []


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def subscribe(fx, url):
    return requests.post(fx.url + "/sandbox/webhooks", data=json.dumps({"url": url, "key": KEY}), timeout=10)


def test_changes_are_delivered_signed_after_the_check(fx, receiver):
    answer = subscribe(fx, receiver.url)
    assert answer.status_code == 200, answer.text
    assert answer.json()["ok"]
    contact = fx.tenant(fx.tid).contacts
    contact_id = "0b7d2c3e-1111-4222-8333-444455556666"
    contact[contact_id] = {"ContactID": contact_id, "Name": "Hook Ltd", "ContactStatus": "ACTIVE",
                           "UpdatedDateUTC": "/Date(1700000000000+0000)/"}
    (created,) = receiver.wait_for(contact_id)
    assert (created.category, created.type, created.tenant_id) == ("CONTACT", "CREATE", fx.tid.lower())
    stored = fx.add_invoice(fx.tid, invoice(contact_id, line(UnitAmount=100), Status="AUTHORISED"))
    assert receiver.wait_for(stored["InvoiceID"])[0].category == "INVOICE"
    receiver.events.clear()
    fx.pay_invoice(fx.tid, stored["InvoiceID"])
    (paid,) = receiver.wait_for(stored["InvoiceID"])
    assert paid.type == "UPDATE", "a payment touches its invoice: the webhook names it"


def test_a_receiver_that_accepts_anything_fails_the_check(fx):
    careless = Receiver(honest=False)
    try:
        answer = subscribe(fx, careless.url)
        assert answer.status_code == 400
        assert "badly signed" in answer.json()["message"]
        assert not fx.webhooks
    finally:
        careless.server.shutdown()
