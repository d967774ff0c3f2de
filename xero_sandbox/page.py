"""The sandbox's own page, for people trying the connector: http://127.0.0.1:PORT/sandbox/.

It is not part of the Xero it plays: Xero's users record payments in Xero's web app, which the
fake has none of. The page lists each organisation's sales invoices (number, customer, status,
total, what is still owed) with a *Record payment* button that pays what is owed, by the same
rules as a payment sent to the API (``payments.pay_invoice``), and the organisation's contacts
and items. ``python -m xero_sandbox pay`` records a payment through the same address.

- ``/`` and ``/sandbox`` lead to ``/sandbox/``; ``/sandbox/pay`` takes the form of the button
  (``invoice``: InvoiceID or InvoiceNumber, optional ``tenant`` and ``amount``) and sends the
  browser back to the page, which says what happened; asked for JSON (``Accept:
  application/json``), it answers ``{"message": ..., "invoice": {...}}`` instead (400 or 404
  with the message when the payment is refused).
- These addresses live outside ``/api.xro/2.0``: no token, no tenant header, no rate limit.
  The server answers them before recording requests (``fx.requests`` is what clients sent to
  "Xero") or applying injected faults, and the OpenAPI check never sees them.
"""
import datetime
import html
import json
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlencode

from . import money, shapes
from .api import Reply

PAGE = "/sandbox/"
PAY = "/sandbox/pay"
WEBHOOKS = "/sandbox/webhooks"
_PATHS = {"": "home", "/sandbox": "page", "/sandbox/pay": "pay", WEBHOOKS: "webhooks"}

STATUS_WORDS = {"DRAFT": "Draft", "SUBMITTED": "Awaiting approval", "AUTHORISED": "Awaiting payment",
                "PAID": "Paid", "VOIDED": "Voided", "DELETED": "Deleted"}


class Refused(Exception):
    """A payment the sandbox did not record; ``status`` 404 for an unknown invoice, else 400."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def serves(path):
    """Whether ``path`` (without its query) is one of the page's addresses."""
    return path.lower().rstrip("/") in _PATHS


def answer(fx, method, path, query, headers, body):
    """The Reply to a request for one of the page's addresses."""
    what = _PATHS[path.lower().rstrip("/")]
    if what == "webhooks":
        return _subscribe(fx, method, body)
    if what == "pay":
        if method != "POST":
            return _redirect(PAGE)
        return _pay(fx, _form(body), "application/json" in (headers.get("Accept") or ""))
    if method not in ("GET", "HEAD"):
        return Reply(405, "This page only shows; its buttons send their forms to %s" % PAY,
                     "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
    if what == "home" or not path.endswith("/"):
        return _redirect(PAGE)
    return Reply(200, render(fx, {k: v[-1] for k, v in query.items()}), "text/html; charset=utf-8",
                 {"Cache-Control": "no-store"})


# -- the webhook ----------------------------------------------------------------------------------

def _subscribe(fx, method, body):
    """POST {"url": ..., "key": ...}: what an app's Webhooks page in Xero's developer portal does
    (the delivery URL is checked, then receives the changes). Not part of Xero's API."""
    if method != "POST":
        return Reply(405, "POST {\"url\": ..., \"key\": ...}", "text/plain; charset=utf-8", {"Allow": "POST"})
    try:
        wanted = json.loads(body or b"{}")
        url, key = wanted["url"], wanted["key"]
    except (ValueError, KeyError, TypeError):
        return Reply(400, json.dumps({"ok": False, "message": "Send {\"url\": ..., \"key\": ...}."}),
                     "application/json")
    _subscription, problem = fx.add_webhook(url, key)
    message = problem or "Changes of contacts, invoices and credit notes are posted to %s." % url
    return Reply(200 if not problem else 400, json.dumps({"ok": not problem, "message": message}),
                 "application/json")


# -- recording a payment ------------------------------------------------------------------------

def find_invoice(fx, key, tenant_id=None):
    """(tenant ID, stored invoice) of the invoice whose InvoiceID or InvoiceNumber is ``key``, in
    ``tenant_id`` or else the first organisation holding it; Refused (404) when none does."""
    if tenant_id:
        tenant = fx.store.get(tenant_id)
        if tenant is None:
            raise Refused("This sandbox has no organisation %s." % tenant_id, 404)
        tenants = [tenant.tenant_id]
    else:
        tenants = list(fx.store.tenants)
    for tid in tenants:
        found = fx.invoice(tid, key)
        if found is not None:
            return tid, found
    raise Refused("There is no invoice %s in this sandbox." % key, 404)


def record_payment(fx, key, tenant_id=None, amount=None):
    """Pay ``amount`` (default: what it owes) on the invoice ``key`` (InvoiceID or number) into
    the organisation's bank account, today, as a Xero user would. Returns (tenant ID, payment,
    the invoice after it); raises Refused with a plain message."""
    if not (key or "").strip():
        raise Refused("Say which invoice to pay (its number, such as INV-0001).")
    if amount is not None and not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount).strip())
        except InvalidOperation:
            raise Refused("The amount must be a number, such as 25.50.") from None
    tenant_id, invoice = find_invoice(fx, key.strip(), tenant_id)
    number = invoice.get("InvoiceNumber") or invoice["InvoiceID"]
    status = invoice.get("Status")
    if status == "PAID":
        raise Refused("%s is already paid: nothing is owed on it." % number)
    if status in ("DRAFT", "SUBMITTED"):
        raise Refused("%s is %s: only an approved invoice takes payments. Approve it first (in Odoo: the "
                      "order's Approve in Xero button)." % (number, STATUS_WORDS[status].lower()))
    try:
        payment = fx.pay_invoice(tenant_id, invoice["InvoiceID"], amount)
    except ValueError as exc:
        raise Refused("%s was not paid: %s." % (number, str(exc).rstrip("."))) from None
    return tenant_id, payment, fx.invoice(tenant_id, invoice["InvoiceID"])


def paid_message(payment, invoice):
    """What recording ``payment`` did to ``invoice``, in a sentence or two."""
    number = invoice.get("InvoiceNumber") or invoice["InvoiceID"]
    currency = invoice.get("CurrencyCode") or ""
    said = "Payment of %s recorded on %s (%s)" % (
        _amount(payment["Amount"], currency), number, (invoice.get("Contact") or {}).get("Name") or "no customer")
    if invoice.get("Status") == "PAID":
        return said + (": it is paid. Odoo shows the order as Paid within seconds through the webhook, or at its "
                       "next read of payments.")
    return said + ": %s still owed." % _amount(invoice.get("AmountDue"), currency)


def _pay(fx, form, wants_json):
    try:
        _, payment, invoice = record_payment(fx, form.get("invoice"), form.get("tenant") or None,
                                             form.get("amount") or None)
    except Refused as refusal:
        if wants_json:
            return Reply(refusal.status, json.dumps({"message": str(refusal)}), "application/json; charset=utf-8")
        return _redirect(PAGE + "?" + urlencode({"refused": str(refusal)}))
    message = paid_message(payment, invoice)
    if wants_json:
        summary = {k: invoice.get(k) for k in ("InvoiceID", "InvoiceNumber", "Status", "Total", "AmountDue",
                                              "AmountPaid", "CurrencyCode")}
        return Reply(200, json.dumps({"message": message, "invoice": summary}), "application/json; charset=utf-8")
    return _redirect(PAGE + "?" + urlencode({"paid": message}))


def _form(body):
    pairs = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in pairs.items()}


def _redirect(location):
    # 303: the browser then opens the page; reloading it does not pay again.
    return Reply(303, b"", "text/plain; charset=utf-8", {"Location": location})


# -- the page ------------------------------------------------------------------------------------

def _amount(value, currency):
    text = "{:,.2f}".format(money.dec(value or 0))
    return "%s %s" % (text, currency) if currency else text


def _day(text):
    day = shapes.day_of(text) if text else None
    return "%d %s" % (day.day, day.strftime("%b %Y")) if isinstance(day, datetime.date) else ""


def _e(value):
    return html.escape(str(value if value is not None else ""), quote=True)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1f2937; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
p.lead { color: #4b5563; margin-top: 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .45rem .6rem; }
th { border-bottom: 2px solid #d1d5db; font-weight: 600; } td { border-bottom: 1px solid #e5e7eb; }
td.num, th.num { text-align: right; white-space: nowrap; } td.nowrap { white-space: nowrap; }
.status { border-radius: 1rem; padding: .1rem .6rem; font-size: .85rem; background: #e5e7eb; white-space: nowrap; }
.status.AUTHORISED { background: #fef3c7; } .status.PAID { background: #d1fae5; }
.status.DRAFT, .status.SUBMITTED { background: #dbeafe; }
.notice { padding: .75rem 1rem; border-radius: .5rem; margin: 1rem 0; }
.notice.ok { background: #d1fae5; } .notice.refused { background: #fee2e2; }
button { background: #13b5ea; color: white; border: 0; border-radius: .3rem; padding: .35rem .8rem; cursor: pointer; }
.quiet { color: #6b7280; font-size: .9rem; }
"""


def render(fx, notice=None):
    """The page: a notice (``paid`` or ``refused`` message), then each organisation's invoices,
    contacts and items."""
    notice = notice or {}
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Xero sandbox</title><style>%s</style></head><body>" % _STYLE,
             "<h1>Xero sandbox</h1>",
             "<p class='lead'>A pretend Xero on this computer, for trying the Xero connector without a Xero "
             "account. What Odoo sends to Xero shows up here. Record a customer's payment on an invoice as "
             "you would in Xero; Odoo marks the order Paid the next time it reads payments from Xero "
             "(every minute when <code>bin/run</code> started this sandbox). Nothing here is kept when the "
             "sandbox stops.</p>"]
    if notice.get("paid"):
        parts.append("<div class='notice ok'>%s</div>" % _e(notice["paid"]))
    if notice.get("refused"):
        parts.append("<div class='notice refused'>%s</div>" % _e(notice["refused"]))
    for tenant in list(fx.store.tenants.values()):
        parts += _organisation(tenant, len(fx.store.tenants) > 1)
    parts.append("<p class='quiet'>Reload the page to see what Odoo sent since.</p></body></html>")
    return "".join(parts)


def _organisation(tenant, several):
    org = tenant.organisation
    out = ["<h2>%s%s</h2>" % (_e(org.get("Name")), " <span class='quiet'>(%s)</span>" % _e(tenant.tenant_id)
                               if several else "")]
    invoices = [i for i in tenant.invoices.ordered()[0] if i.get("Type") == "ACCREC"]
    out.append("<h3>Sales invoices</h3>")
    if not invoices:
        out.append("<p>No invoices yet. In Odoo, confirm an order and click <b>Send to Xero</b>; it "
                   "appears here.</p>")
    else:
        out.append("<table><tr><th>Invoice</th><th>Customer</th><th>Date</th><th>Due</th><th>Status</th>"
                   "<th class='num'>Total</th><th class='num'>Still owed</th><th></th></tr>")
        for invoice in reversed(invoices):
            out.append(_invoice_row(tenant, invoice))
        out.append("</table>")
    contacts = tenant.contacts.ordered()[0]
    active = [c for c in contacts if c.get("ContactStatus") == "ACTIVE"]
    out.append("<h3>Contacts <span class='quiet'>(%d)</span></h3>" % len(active))
    if active:
        out.append("<table><tr><th>Name</th><th>E-mail</th><th>Contact number</th></tr>")
        for contact in sorted(active, key=lambda c: (c.get("Name") or "").lower()):
            out.append("<tr><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                _e(contact.get("Name")), _e(contact.get("EmailAddress")), _e(contact.get("ContactNumber"))))
        out.append("</table>")
    items = tenant.items.ordered()[0]
    out.append("<h3>Items <span class='quiet'>(%d)</span></h3>" % len(items))
    if items:
        out.append("<table><tr><th>Code</th><th>Name</th><th class='num'>Sale price</th></tr>")
        for item in items:
            price = (item.get("SalesDetails") or {}).get("UnitPrice")
            out.append("<tr><td>%s</td><td>%s</td><td class='num'>%s</td></tr>" % (
                _e(item.get("Code")), _e(item.get("Name")), _e(_amount(price, "") if price is not None else "")))
        out.append("</table>")
    return out


def _invoice_row(tenant, invoice):
    status = invoice.get("Status") or "DRAFT"
    currency = invoice.get("CurrencyCode") or ""
    due = money.dec(invoice.get("AmountDue") or 0)
    if status == "AUTHORISED" and due > 0:
        action = ("<form method='post' action='%s'><input type='hidden' name='invoice' value='%s'>"
                  "<input type='hidden' name='tenant' value='%s'><button type='submit'>Record payment</button>"
                  "</form>" % (PAY, _e(invoice["InvoiceID"]), _e(tenant.tenant_id)))
    elif status in ("DRAFT", "SUBMITTED"):
        action = "<span class='quiet'>Approve it first (in Odoo: Approve in Xero on the order)</span>"
    elif status == "PAID":
        action = "<span class='quiet'>Paid on %s</span>" % _e(_day(invoice.get("FullyPaidOnDate")))
    else:
        action = ""
    return ("<tr><td class='nowrap'>%s</td><td>%s</td><td class='nowrap'>%s</td><td class='nowrap'>%s</td>"
            "<td><span class='status %s'>%s</span></td>"
            "<td class='num'>%s</td><td class='num'>%s</td><td>%s</td></tr>" % (
                _e(invoice.get("InvoiceNumber")), _e((invoice.get("Contact") or {}).get("Name")),
                _e(_day(invoice.get("Date"))), _e(_day(invoice.get("DueDate"))), _e(status),
                _e(STATUS_WORDS.get(status, status.title())), _e(_amount(invoice.get("Total"), currency)),
                _e(_amount(due, currency)), action))
