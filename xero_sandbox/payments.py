"""Payments: PUT /Payments (many), POST /Payments (one), POST /Payments/{PaymentID} with
{"Status": "DELETED"} (delete), GET /Payments (If-Modified-Since, ``where``, ``order``, ``page``,
``pageSize``) and GET /Payments/{PaymentID}.

After the spec (schema Payment, A:23834; paths A:11589-12240) and Xero's users:

- a payment names its invoice (``Invoice`` {InvoiceID or InvoiceNumber}, or ``InvoiceNumber``),
  the account paid into (``Account`` {Code or AccountID}, or ``Code``), a Date (default: today)
  and an Amount; the account must be an ACTIVE bank account or one with "Enable payments to
  this account" [the rule is reported; its message is the fake's]; only an AUTHORISED invoice
  takes payments, and no more than it owes ("Payment amount exceeds the amount outstanding on
  this document", A:11897); a payment dated on or before the lock date is refused;
- the invoice follows at once (``balances.py``): Payments[], AmountPaid, AmountDue, PAID with
  FullyPaidOnDate when nothing is owed, and a new UpdatedDateUTC; deleting the payment (Status
  DELETED, the only change a payment takes) reverses it, and the payment stays listed as
  DELETED so a reader polling GET /Payments sees it go;
- in a foreign currency, CurrencyRate defaults to the invoice's and BankAmount is the amount in
  the bank account's (base) currency.

``pay_invoice`` and ``delete_payment`` record the same as a Xero user would, for tests.
Messages without a source are the fake's own wording, marked [fake].
"""
import uuid

from . import balances, docrules, listing, money, reading, shapes, writes
from .accounting import ApiResponse, invalid_json
from .documents import echo_dates

READ_SCOPES = ("accounting.transactions", "accounting.transactions.read")
WRITE_SCOPES = ("accounting.transactions",)
READ_ONLY = {"PaymentID", "UpdatedDateUTC", "UpdatedDateUTCString", "PaymentType", "HasAccount",
             "HasValidationErrors", "ValidationErrors", "StatusAttributeString", "Warnings", "BatchPaymentID"}
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

INVOICE_REQUIRED = "You must specify an Invoice ID or Invoice Number for the payment"
INVOICE_NOT_FOUND = "The invoice %s could not be found."                                       # [fake]
ACCOUNT_REQUIRED = "You must specify an Account Code or Account ID for the payment."          # [fake]
ACCOUNT_REFUSED = ("Account %s is not a bank account and does not have payments enabled: "    # [fake]
                   "it cannot receive payments.")
NOT_AUTHORISED = "Payments can only be made against Authorised documents"                     # [fake]
AMOUNT_REQUIRED = "The payment amount must be greater than zero."                              # [fake]
AMOUNT_EXCEEDS = "Payment amount exceeds the amount outstanding on this document"
ONLY_DELETE = "A payment cannot be changed, only deleted (Status DELETED)."                    # [fake]
ALREADY_DELETED = "This payment has already been deleted."                                     # [fake]
PAYMENT_NOT_FOUND = "The payment with PaymentID %s could not be found."                         # [fake]
PAYMENT_EXISTS = "A payment with PaymentID %s already exists; POST its Status to delete it."    # [fake]


def read(incoming):
    typed = {}
    for key in ("InvoiceNumber", "Code", "Reference", "Status"):
        if key in incoming:
            typed[key] = reading.text(incoming[key], key)
    for key in ("Invoice", "Account"):
        if key in incoming:
            found = reading.obj(incoming[key], key) or {}
            typed[key] = {k: reading.text(found.get(k), "%s.%s" % (key, k)) for k in
                          ("InvoiceID", "InvoiceNumber", "AccountID", "Code") if k in found}
    for key in ("Amount", "CurrencyRate"):
        if key in incoming:
            typed[key] = reading.number(incoming[key], key)
    if "Date" in incoming:
        typed["Date"] = reading.day(incoming["Date"], "Date")
    if "IsReconciled" in incoming:
        typed["IsReconciled"] = reading.boolean(incoming["IsReconciled"], "IsReconciled")
    if typed.get("Status") not in (None, "AUTHORISED", "DELETED"):
        raise invalid_json("Error converting value \"%s\" to type 'PaymentStatus'. Path 'Status'." % typed["Status"])
    return typed


def _account(tenant, incoming):
    """(the account paid into, messages)."""
    given = incoming.get("Account") or {}
    account_id, code = given.get("AccountID"), given.get("Code") or incoming.get("Code")
    if not account_id and not code:
        return None, [ACCOUNT_REQUIRED]
    accounts = tenant.accounts
    account = accounts.get(accounts.find_id(account_id)) if account_id else accounts.account(code)
    if not account or account.get("Status") != "ACTIVE" or not (
            account.get("Type") == "BANK" or account.get("EnablePaymentsToAccount")):
        return None, [ACCOUNT_REFUSED % (account_id or code)]
    return account, []


def _invoice_summary(invoice):
    contact = invoice.get("Contact") or {}
    return {"Type": invoice.get("Type"), "InvoiceID": invoice["InvoiceID"],
            "InvoiceNumber": invoice.get("InvoiceNumber"), "CurrencyCode": invoice.get("CurrencyCode"),
            "Contact": {"ContactID": contact.get("ContactID"), "Name": contact.get("Name")}}


def _restamp(invoice, now):
    invoice["UpdatedDateUTC"] = shapes.ms_date(now)
    return invoice


def create(tenant, now, payment_id, incoming, invoices):
    """(the payment as Xero stores it, messages); a valid payment is applied to its invoice in
    ``invoices`` (the request's pending invoices)."""
    given = incoming.get("Invoice") or {}
    invoice_id = given.get("InvoiceID")
    number = given.get("InvoiceNumber") or incoming.get("InvoiceNumber")
    if not invoice_id and not number:
        return {}, [INVOICE_REQUIRED]
    found = invoices.find_id(invoice_id) if invoice_id else invoices.by_number(number)
    if found is None:
        return {}, [INVOICE_NOT_FOUND % (invoice_id or number)]
    invoice = invoices[found]
    account, errors = _account(tenant, incoming)
    if invoice.get("Status") != "AUTHORISED":
        errors.append(NOT_AUTHORISED)
    amount = incoming.get("Amount")
    if amount is None or money.dec(amount) <= 0:
        errors.append(AMOUNT_REQUIRED)
    elif invoice.get("Status") == "AUTHORISED" and money.rounded(amount) > money.dec(invoice["AmountDue"]):
        errors.append(AMOUNT_EXCEEDS)
    day = incoming.get("Date") or shapes.today(now)
    errors += docrules.lock_errors(tenant.organisation, day)
    if errors:
        return {}, errors

    amount = money.rounded(amount)
    rate = money.dec(incoming.get("CurrencyRate") or invoice.get("CurrencyRate") or 1)
    date = shapes.ms_day(day)
    payment = {
        "PaymentID": payment_id, "Date": date, "BankAmount": money.number(money.rounded(amount / rate)),
        "Amount": money.number(amount), "Reference": incoming.get("Reference") or "",
        "CurrencyRate": money.number(rate), "PaymentType": "ACCPAYPAYMENT" if invoice.get("Type") == "ACCPAY"
        else "ACCRECPAYMENT", "Status": "AUTHORISED", "HasAccount": True,
        "IsReconciled": bool(incoming.get("IsReconciled")),
        "Account": {"AccountID": account["AccountID"], "Code": account.get("Code"), "Name": account.get("Name")},
        "Invoice": _invoice_summary(invoice), "HasValidationErrors": False,
    }
    entry = {"PaymentID": payment_id, "Date": date, "Amount": payment["Amount"], "Reference": payment["Reference"],
             "CurrencyRate": payment["CurrencyRate"], "HasAccount": False, "HasValidationErrors": False}
    paid = dict(invoice, Payments=list(invoice["Payments"]) + [entry])
    invoices[found] = _restamp(balances.settle_invoice(paid), now)
    return payment, []


def delete(tenant, now, stored, incoming, invoices):
    """(the payment DELETED, messages); its invoice in ``invoices`` no longer counts it."""
    if incoming.get("Status") != "DELETED":
        return stored, [ONLY_DELETE]
    if stored.get("Status") == "DELETED":
        return stored, [ALREADY_DELETED]
    errors = docrules.lock_errors(tenant.organisation, shapes.day_of(stored.get("Date")))
    if errors:
        return stored, errors
    invoice_id = invoices.find_id((stored.get("Invoice") or {}).get("InvoiceID", ""))
    if invoice_id is not None:
        invoice = invoices[invoice_id]
        remaining = [p for p in invoice.get("Payments") or () if p.get("PaymentID") != stored["PaymentID"]]
        invoices[invoice_id] = _restamp(balances.settle_invoice(dict(invoice, Payments=remaining)), now)
    return dict(stored, Status="DELETED"), []


class _Payments(writes.Resource):
    KEY = "Payments"
    ID_FIELD = "PaymentID"
    READ_ONLY = READ_ONLY
    NOT_AN_OBJECT = "A payment must be a JSON object."
    ERROR_FLAG = "HasValidationErrors"

    def store(self, tenant):
        return tenant.payments

    def changes(self, tenant):
        work = tenant.payments.changes()
        work.attach("invoices", tenant.invoices.changes())
        return work

    def read(self, incoming):
        return read(incoming)

    def resolve(self, ctx, incoming, work, path_id, given_id):
        if path_id is not None:
            return path_id, []
        if given_id:
            found = work.find_id(given_id)
            if not found:
                return None, [PAYMENT_NOT_FOUND % given_id]
            return (found, []) if ctx.method == "POST" else (None, [PAYMENT_EXISTS % given_id])
        return None, []

    def new(self, record_id):
        return {"PaymentID": record_id}

    def echo(self, element, record, target):
        return echo_dates(element, ("Date",))

    def save(self, ctx, stored, incoming, target, work):
        invoices = work.attached["invoices"]
        if target is None:
            return create(ctx.tenant, ctx.clock.now(), stored["PaymentID"], incoming, invoices)
        return delete(ctx.tenant, ctx.clock.now(), stored, incoming, invoices)


PAYMENTS = _Payments()


# -- reads -------------------------------------------------------------------------------------

def list_payments(ctx):
    store = ctx.tenant.payments
    since = listing.modified_since(ctx)
    order = ctx.q("order")
    predicate = listing.where_predicate(ctx)
    records = store.view(("list", ctx.q("where"), since, order),
                         lambda recs, stamps: listing.select(recs, stamps, [predicate], since, order))
    records, pagination = listing.paged(ctx, records, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    return ApiResponse(200, ctx.envelope("Payments", records, pagination=pagination))


def get_payment(ctx):
    store = ctx.tenant.payments
    return listing.one(ctx, "Payments", store, store.find_id(ctx.params["PaymentID"]))


def register(router):
    router.add("GET", "/Payments", list_payments, READ_SCOPES)
    router.add("GET", "/Payments/{PaymentID}", get_payment, READ_SCOPES)
    writes.register(router, "/Payments", PAYMENTS, WRITE_SCOPES)


# -- as a Xero user would ------------------------------------------------------------------------

def pay_invoice(tenant, invoice, amount, day, now, account_code=None):
    """Record a payment of ``amount`` (default: all it owes) on ``invoice`` (InvoiceID or
    InvoiceNumber) dated ``day`` (default: today) into ``account_code`` (default: the first
    bank account), by the rules of the API; raises ValueError with Xero's messages, KeyError
    for an unknown invoice. Returns the stored payment."""
    with tenant.lock:
        invoice_id = listing.find(tenant.invoices, invoice, tenant.invoices.by_number)
        if invoice_id is None:
            raise KeyError(invoice)
        if amount is None:
            amount = tenant.invoices[invoice_id]["AmountDue"]
        if account_code is None:
            banks, _ = tenant.accounts.ordered()
            account_code = next(a["Code"] for a in banks if a.get("Type") == "BANK" and a.get("Status") == "ACTIVE")
        work = PAYMENTS.changes(tenant)
        incoming = {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": account_code}, "Amount": amount,
                    "Date": day}
        payment, errors = create(tenant, now, str(uuid.uuid4()), incoming, work.attached["invoices"])
        if errors:
            raise ValueError("; ".join(errors))
        payment["UpdatedDateUTC"] = shapes.ms_date(now)
        work[payment["PaymentID"]] = payment
        work.commit()
    return payment


def delete_payment(tenant, payment_id, now):
    """Delete a payment as a Xero user would; raises KeyError for an unknown payment and
    ValueError with Xero's messages. Returns the stored (DELETED) payment."""
    with tenant.lock:
        found = tenant.payments.find_id(payment_id)
        if found is None:
            raise KeyError(payment_id)
        work = PAYMENTS.changes(tenant)
        payment, errors = delete(tenant, now, tenant.payments[found], {"Status": "DELETED"},
                                 work.attached["invoices"])
        if errors:
            raise ValueError("; ".join(errors))
        payment["UpdatedDateUTC"] = shapes.ms_date(now)
        work[found] = payment
        work.commit()
    return payment
