"""The demo's side of the fake: the organisation ``--seed demo`` gives (customers and items, read
back through xero-python as a client would), the sandbox's own page (invoices with a *Record
payment* button, by the rules of a payment sent to the API) and ``python -m xero_sandbox pay``.
The page lives outside Xero's addresses: it is never recorded among the client's requests, and
every request a client sent stays on Xero's OpenAPI description (``on_spec``).
"""
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sales import invoice, line

from xero_sandbox import __main__ as program
from xero_sandbox import demo

pytestmark = pytest.mark.usefixtures("on_spec")


@pytest.fixture
def seeded(fx):
    return demo.seed_demo(fx, fx.tid)


def due(fx, contact_id, status="AUTHORISED", amount=100):
    """An invoice of ``amount`` + 15% GST; returns the stored invoice."""
    return fx.add_invoice(fx.tid, invoice(contact_id, line(UnitAmount=amount), Status=status))


def page(fx, **params):
    r = requests.get(fx.url + "/sandbox/", params=params)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    return r.text


def press_record_payment(fx, html, number):
    """Submit the Record payment form of the invoice ``number`` as a browser would; returns the
    page the browser lands on and the notice it shows."""
    row = next(r for r in html.split("<tr>") if ">%s</td>" % number in r)
    form = re.search(r"<form method='post' action='([^']+)'>(.*?)</form>", row, re.S)
    assert form, row
    fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", form.group(2)))
    r = requests.post(fx.url + form.group(1), data=fields, allow_redirects=False)
    assert r.status_code == 303
    location = r.headers["Location"]
    assert urlsplit(location).path == "/sandbox/"
    notice = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return requests.get(fx.url + location).text, notice


# -- the demo organisation ----------------------------------------------------------------------

def test_the_demo_organisation_has_customers_and_items_a_client_reads(fx, sdk, seeded):
    assert seeded == (len(demo.CONTACTS), len(demo.ITEMS))
    contacts = sdk.accounting.get_contacts(fx.tid).contacts
    assert sorted(c.name for c in contacts) == sorted(row[0] for row in demo.CONTACTS)
    kauri = next(c for c in contacts if c.name == "Kauri Coast Builders Ltd")
    street = next(a for a in kauri.addresses if a.address_type == "STREET")
    assert (street.city, street.postal_code, street.country) == ("Whangarei", "0110", "New Zealand")
    assert (kauri.email_address, kauri.tax_number) == ("accounts@kauricoastbuilders.co.nz", "111-222-333")
    phone = next(p for p in kauri.phones if p.phone_type == "DEFAULT")
    assert (phone.phone_country_code, phone.phone_area_code, phone.phone_number) == ("64", "09", "438 2750")

    items = {i.code: i for i in sdk.accounting.get_items(fx.tid).items}
    assert sorted(items) == sorted(row[0] for row in demo.ITEMS)
    mat = items["MAT-STAND"]
    assert (float(mat.sales_details.unit_price), mat.sales_details.account_code, mat.sales_details.tax_type) == (
        79.0, "200", "OUTPUT2")
    assert (float(mat.purchase_details.unit_price), mat.purchase_details.account_code, mat.is_purchased) == (
        41.5, "310", True)
    consult = items["CONSULT-HR"]
    assert (consult.sales_details.account_code, consult.is_sold, consult.is_purchased) == ("4000", True, False)
    assert all(len(i.name) <= 50 and not i.is_tracked_as_inventory for i in items.values())


def test_an_invoice_for_a_demo_customer_with_demo_items_goes_through(fx, sdk, seeded):
    kauri = next(c for c in fx.tenant(fx.tid).contacts.values() if c["Name"] == "Kauri Coast Builders Ltd")
    body = invoice(kauri["ContactID"], {"ItemCode": "CONSULT-HR", "Quantity": 2, "UnitAmount": 140.0},
                   {"ItemCode": "FREIGHT-NZ", "Quantity": 1, "UnitAmount": 25.0}, Status="AUTHORISED")
    [made] = sdk.accounting.create_invoices(fx.tid, {"Invoices": [body]}).invoices
    assert (made.status, float(made.total)) == ("AUTHORISED", 350.75)      # (280 + 25) + 15% GST


# -- the page -----------------------------------------------------------------------------------

def test_the_page_lists_invoices_and_record_payment_pays_what_is_owed(fx, sdk, bob, seeded):
    first = due(fx, bob)                                 # INV-0001, 115.00
    second = due(fx, bob, amount=40)                     # INV-0002, 46.00
    draft = due(fx, bob, status="DRAFT")                 # INV-0003
    before = sdk.accounting.get_invoice(fx.tid, first["InvoiceID"]).invoices[0]
    html = page(fx)
    assert "Demo Company (NZ)" in html and "Kauri Coast Builders Ltd" in html and "CONSULT-HR" in html
    for number in ("INV-0001", "INV-0002", "INV-0003"):
        assert ">%s</td>" % number in html
    assert html.count("Record payment</button>") == 2 and "Awaiting payment" in html
    draft_row = next(r for r in html.split("<tr>") if ">INV-0003</td>" in r)
    assert "Draft" in draft_row and "<form" not in draft_row
    assert "Approve it first (in Odoo: Approve in Xero on the order)" in draft_row
    assert "115.00 NZD" in html and "POST" not in html and "PUT" not in html

    fx.clock.advance(5)
    landed, notice = press_record_payment(fx, html, "INV-0001")
    assert notice == {"paid": "Payment of 115.00 NZD recorded on INV-0001 (Bob Ltd): it is paid. Odoo shows "
                              "the order as Paid within seconds through the webhook, or at its next read of "
                              "payments."}
    assert "Payment of 115.00 NZD recorded on INV-0001" in landed
    paid_row = next(r for r in landed.split("<tr>") if ">INV-0001</td>" in r)
    assert "Paid" in paid_row and "Paid on" in paid_row and "<form" not in paid_row
    assert landed.count("Record payment</button>") == 1

    # What a client reading Xero then sees: the invoice PAID with a new UpdatedDateUTC, and
    # the payment into the bank account, as if a Xero user had recorded it.
    after = sdk.accounting.get_invoice(fx.tid, first["InvoiceID"]).invoices[0]
    assert (after.status, float(after.amount_due), float(after.amount_paid)) == ("PAID", 0, 115)
    assert after.updated_date_utc > before.updated_date_utc
    [payment] = sdk.accounting.get_payments(fx.tid).payments
    assert (float(payment.amount), payment.account.code, str(payment.invoice.invoice_id)) == (
        115, "090", first["InvoiceID"])
    assert fx.invoice(fx.tid, second["InvoiceID"])["Status"] == "AUTHORISED"
    assert fx.invoice(fx.tid, draft["InvoiceID"])["Status"] == "DRAFT"


def test_a_payment_the_page_cannot_record_is_said_plainly(fx, bob):
    draft = due(fx, bob, status="DRAFT")
    r = requests.post(fx.url + "/sandbox/pay", data={"invoice": draft["InvoiceID"]}, allow_redirects=False)
    notice = parse_qs(urlsplit(r.headers["Location"]).query)
    assert notice == {"refused": ["INV-0001 is draft: only an approved invoice takes payments. Approve it first "
                                  "(in Odoo: the order's Approve in Xero button)."]}
    landed = requests.get(fx.url + r.headers["Location"]).text
    assert "INV-0001 is draft: only an approved invoice" in landed
    assert fx.tenant(fx.tid).payments == {}


def test_the_page_stays_outside_xero(fx, token, bob, on_spec):
    due(fx, bob)
    fx.reset_requests()
    assert requests.get(fx.url + "/", allow_redirects=False).headers["Location"] == "/sandbox/"
    assert requests.get(fx.url + "/sandbox", allow_redirects=False).headers["Location"] == "/sandbox/"
    assert requests.get(fx.url + "/SANDBOX/").status_code == 200
    assert requests.get(fx.url + "/sandbox/pay", allow_redirects=False).headers["Location"] == "/sandbox/"
    assert requests.post(fx.url + "/sandbox/", data={"invoice": "INV-0001"}).status_code == 405
    assert fx.tenant(fx.tid).payments == {}
    fx.faults.add("500", path="/")          # a fault meant for Xero's addresses never hits the page
    assert requests.get(fx.url + "/sandbox/").status_code == 200
    fx.faults.clear()
    assert fx.requests == []                # the page is not a request a client sent to Xero

    # Under Xero's API prefix there is no page: Xero's own answers (no token: 401; with one: 404),
    # to requests off Xero's description.
    with on_spec.off():
        assert requests.get(fx.api_url + "/sandbox/").status_code == 401
        r = requests.post(fx.api_url + "/sandbox/pay", data={"invoice": "INV-0001"},
                          headers={"Authorization": "Bearer " + token, "xero-tenant-id": fx.tid})
    assert r.status_code == 404 and "<html" not in r.text
    assert fx.invoice(fx.tid, "INV-0001")["Status"] == "AUTHORISED"


def test_the_page_escapes_what_it_shows(fx):
    from sales import customer
    evil = customer(fx, name="<script>alert(1)</script> Ltd", email=None)
    due(fx, evil)
    html = page(fx, refused="<b>no</b>")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html
    assert "<b>no</b>" not in html and "&lt;b&gt;no&lt;/b&gt;" in html


# -- the command --------------------------------------------------------------------------------

def pay(fx, capsys, *args):
    port = urlsplit(fx.url).port
    code = program.main(["pay", "--port", str(port), *args])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err.strip()


def test_the_pay_command_records_a_payment_in_the_running_sandbox(fx, bob, capsys):
    due(fx, bob)                                                       # INV-0001, 115.00
    assert pay(fx, capsys, "--invoice", "inv-0001", "--amount", "40") == (
        0, "Payment of 40.00 NZD recorded on INV-0001 (Bob Ltd): 75.00 NZD still owed.", "")
    assert pay(fx, capsys, "--invoice", "INV-0001", "--amount", "80") == (
        1, "", "INV-0001 was not paid: Payment amount exceeds the amount outstanding on this document.")
    assert pay(fx, capsys, "--invoice", "INV-0001", "--amount", "lots") == (
        1, "", "The amount must be a number, such as 25.50.")
    code, out, _ = pay(fx, capsys, "--invoice", "INV-0001", "--tenant", fx.tid)
    assert (code, out) == (0, "Payment of 75.00 NZD recorded on INV-0001 (Bob Ltd): it is paid. Odoo shows the "
                              "order as Paid within seconds through the webhook, or at its next read of payments.")
    assert fx.invoice(fx.tid, "INV-0001")["Status"] == "PAID"
    assert pay(fx, capsys, "--invoice", "INV-0001") == (1, "", "INV-0001 is already paid: nothing is owed on it.")
    assert pay(fx, capsys, "--invoice", "INV-0009") == (1, "", "There is no invoice INV-0009 in this sandbox.")
    assert fx.requests == []


def test_the_pay_command_says_when_no_sandbox_answers(fx, capsys):
    port = urlsplit(fx.url).port
    fx.stop()
    code = program.main(["pay", "--port", str(port), "--invoice", "INV-0001"])
    assert code == 2
    assert "No sandbox answers at http://127.0.0.1:%d" % port in capsys.readouterr().err


def test_the_program_seeds_the_demo_organisation():
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "xero_sandbox", "--port", "0", "--seed", "demo", "--custom",
         "--client-id", "ID", "--client-secret", "SECRET"],
        cwd=str(repo), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fields = dict(part.split("=", 1) for part in proc.stdout.readline().split())
        html = requests.get(fields["FAKE_XERO_URL"] + "/sandbox/").text
        assert all(row[0] in html for row in demo.CONTACTS) and all(row[0] in html for row in demo.ITEMS)
        assert "No invoices yet" in html
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    assert "seeded Demo Company (NZ): 5 contacts, 5 items" in proc.stderr.read()
