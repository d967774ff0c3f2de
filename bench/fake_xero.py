#!/usr/bin/env python3
"""A fake Xero for the benchmarks, optionally holding N contacts and M items already (as an
organisation that has used Xero for years), and years of sales invoices, served like
``python -m xero_sandbox``:

    python bench/fake_xero.py --time-scale 10 --epoch 1700000000.0 --contacts 100000 --items 20000 \
        --client-id ID --client-secret SECRET [--invoices 50000 --big-customer 2000]

prints ``FAKE_XERO_URL=... TENANT_ID=...`` on one line once the contacts are in, then serves
until killed. The contacts are put in the store directly (seeding 100,000 through the API would
take 2,000 calls, half an hour of Xero's minute limit); their UpdatedDateUTC are in the past,
one millisecond apart, oldest first. One in ten contacts is a company with a contact person; one in
ten items is tracked, with stock.

--invoices N (bench/receivables.py): N AUTHORISED sales invoices (ACCREC) over the contacts,
dated over the last ``--history-days`` days, made straight in the store by Xero's own rules
(``FakeXero.add_invoice``, ``credit_invoice``, ``pay_invoice``): most of the older ones paid,
some partly, one in forty partly or fully settled with a credit note; the first contact holds
``--big-customer`` of them. Their UpdatedDateUTC (and the credit notes' and payments') are then
set to the day of their last event, at a time of day of their own, as years of use leave them.
The line printed then also says what was made (INVOICES, CREDIT_NOTES, PAYMENTS) and the first
contact's figures as Xero has them (BIG_CONTACT_ID, BIG_INVOICES, BIG_OUTSTANDING, BIG_PAID,
BIG_LAST_PAYMENT, BIG_AVG_DAYS_TO_PAY), for the benchmark to check Odoo's against.
"""
import argparse
import datetime
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from xero.clock import Clock  # noqa: E402
from xero_sandbox import FakeXero  # noqa: E402
from xero_sandbox.contacts import merge, new_contact  # noqa: E402
from xero_sandbox.shapes import day_of, ms_date, today  # noqa: E402

FIRST = ("Aroha", "Ben", "Chloe", "Dev", "Emma", "Finn", "Grace", "Hemi", "Isla", "Jack")
LAST = ("Ngata", "Smith", "Wilson", "Patel", "Brown", "Taylor", "Walker", "Tane", "Lee", "King")


def contact(i, updated):
    first, last = FIRST[i % 10], LAST[(i // 10) % 10]
    values = {
        "Name": "%s %s %06d" % (first, last, i), "FirstName": first, "LastName": "%s %06d" % (last, i),
        "EmailAddress": "customer%06d@example.com" % i, "ContactNumber": "XC-%06d" % i,
        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+64 9 555 %04d" % (i % 10000)}],
        "Addresses": [{"AddressType": "STREET", "AddressLine1": "%d Queen Street" % (i % 900 + 1),
                       "City": "Auckland", "PostalCode": "1010", "Country": "New Zealand"}],
        "UpdatedDateUTC": ms_date(updated),
    }
    if i % 10 == 0:
        values.update({"Name": "Company %06d Ltd" % i, "TaxNumber": "NZ-%09d" % i, "ContactPersons": [
            {"FirstName": first, "LastName": last, "EmailAddress": "person%06d@example.com" % i}]})
    return merge(new_contact(contact_id(i)), values)


def item(i, updated):
    values = {
        "ItemID": "00000000-0000-4000-9000-%012d" % i, "Code": "XI-%06d" % i, "Name": "Bench Item %06d" % i,
        "Description": "Bench item number %d" % i, "IsSold": True, "IsPurchased": True,
        "SalesDetails": {"UnitPrice": 10 + i % 100, "AccountCode": "200", "TaxType": "OUTPUT2"},
        "PurchaseDetails": {"UnitPrice": 4 + i % 50, "AccountCode": "400", "TaxType": "INPUT2"},
        "IsTrackedAsInventory": False, "UpdatedDateUTC": ms_date(updated),
    }
    if i % 10 == 0:
        values.update({"IsTrackedAsInventory": True, "InventoryAssetAccountCode": "630", "QuantityOnHand": i % 70,
                       "TotalCostPool": (i % 70) * 4.0,
                       "PurchaseDetails": {"UnitPrice": 4.0, "COGSAccountCode": "310", "TaxType": "INPUT2"}})
    return values


def contact_id(i):
    """The ContactID of seeded contact ``i`` (the benchmarks link Odoo partners to it)."""
    return "00000000-0000-4000-8000-%012d" % i


def _spread(i, modulo):
    """A number in [0, modulo) that looks random but is the same on every run."""
    return (i * 2654435761 + 97) % 4294967291 % modulo


def seed_invoices(fx, tenant_id, count, contacts, big, history_days):
    """``count`` AUTHORISED sales invoices over the first ``contacts`` seeded contacts, the first
    holding ``big`` of them, paid and credited as the years went (module docstring). Returns the
    fields the start line adds."""
    day = today(fx.clock.now())
    tenant = fx.tenant(tenant_id)
    big = min(big, count)
    for i in range(count):
        customer = 0 if i < big or contacts < 2 else 1 + (i - big) % (contacts - 1)
        date = day - datetime.timedelta(days=_spread(i, history_days))
        due = date + datetime.timedelta(days=20 if i % 2 else 30)
        invoice = fx.add_invoice(tenant_id, {
            "Type": "ACCREC", "Status": "AUTHORISED", "Contact": {"ContactID": contact_id(customer)},
            "Date": date, "DueDate": due, "LineAmountTypes": "Exclusive", "Reference": "BENCH-%06d" % i,
            "LineItems": [{"Description": "Bench service %d" % j, "Quantity": 1 + (i + j) % 4,
                           "UnitAmount": 20 + _spread(i + 7 * j, 480), "AccountCode": "200", "TaxType": "OUTPUT2"}
                          for j in range(1 + i % 3)]})
        age, luck = (day - date).days, _spread(i, 100)
        if i % 40 == 3 and age >= 3:  # a credit note: the whole invoice, or part of it
            fx.credit_invoice(tenant_id, invoice["InvoiceID"], None if luck % 2 else round(invoice["Total"] / 5, 2),
                              date + datetime.timedelta(days=3))
        owed = tenant.invoices[invoice["InvoiceID"]]["AmountDue"]
        paid_on = min(day, date + datetime.timedelta(days=3 + _spread(i, 50)))
        if not owed or paid_on > day:
            continue
        # Older invoices are mostly paid; those not yet due, some.
        fully, partly = (30, 45) if due >= day else (85, 92) if age <= 120 else (94, 97)
        if luck < fully:
            fx.pay_invoice(tenant_id, invoice["InvoiceID"], None, paid_on)
        elif luck < partly:
            fx.pay_invoice(tenant_id, invoice["InvoiceID"], round(owed / 2, 2), paid_on)
    _restamp(tenant, fx.clock.now())
    figures = _contact_figures(tenant, contact_id(0))
    return dict({"INVOICES": len(tenant.invoices), "CREDIT_NOTES": len(tenant.credit_notes),
                 "PAYMENTS": len(tenant.payments), "BIG_CONTACT_ID": contact_id(0)}, **figures)


def _restamp(tenant, now):
    """Each document's and payment's UpdatedDateUTC: the day of its last event (issue, payment,
    credit), at a time of day of its own; never later than an hour ago."""
    def stamp(n, *days):
        last = max(d for d in days if d is not None)
        seconds = datetime.datetime.combine(last, datetime.time(), datetime.timezone.utc).timestamp() \
            + _spread(n, 86400000) / 1000.0
        return ms_date(min(seconds, now - 3600 - n / 1000.0))

    for store, events in ((tenant.invoices, lambda r: [p.get("Date") for p in r.get("Payments") or ()]
                           + [c.get("Date") for c in r.get("CreditNotes") or ()]),
                          (tenant.credit_notes, lambda r: [a.get("Date") for a in r.get("Allocations") or ()]),
                          (tenant.payments, lambda r: [])):
        for n, (record_id, record) in enumerate(list(store.items())):
            days = [day_of(record.get("Date"))] + [day_of(d) for d in events(record)]
            store[record_id] = dict(record, UpdatedDateUTC=stamp(n, *days))


def _contact_figures(tenant, contact):
    """What Xero says of ``contact``'s sales invoices (base currency: the seeded ones are NZD)."""
    mine = [r for r in tenant.invoices.values() if (r.get("Contact") or {}).get("ContactID") == contact]
    # Days to pay: of the invoices paid in full with money (credit is not a payment).
    paid_days = [(day_of(r["FullyPaidOnDate"]) - day_of(r["Date"])).days for r in mine
                 if r.get("FullyPaidOnDate") and r.get("Payments")]
    payments = [day_of(p["Date"]) for r in mine for p in r.get("Payments") or ()]
    credit = sum(r.get("RemainingCredit") or 0 for r in tenant.credit_notes.values()
                 if (r.get("Contact") or {}).get("ContactID") == contact and r.get("Status") == "AUTHORISED")
    return {"BIG_INVOICES": len(mine),
            "BIG_OUTSTANDING": "%.2f" % (sum(r["AmountDue"] for r in mine if r["Status"] == "AUTHORISED") - credit),
            "BIG_PAID": "%.2f" % sum(r.get("AmountPaid") or 0 for r in mine),
            "BIG_LAST_PAYMENT": max(payments).isoformat() if payments else "none",
            "BIG_AVG_DAYS_TO_PAY": "%.1f" % (sum(paid_days) / len(paid_days)) if paid_days else "0.0"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--time-scale", type=float, default=1.0)
    p.add_argument("--epoch", type=float, default=None)
    p.add_argument("--contacts", type=int, default=0)
    p.add_argument("--items", type=int, default=0)
    p.add_argument("--client-id", default="bench-client")
    p.add_argument("--client-secret", default="bench-secret")
    p.add_argument("--tenant", default="Bench Organisation")
    p.add_argument("--invoices", type=int, default=0, help="sales invoices over the contacts (module docstring)")
    p.add_argument("--big-customer", type=int, default=2000, help="invoices of the first contact")
    p.add_argument("--history-days", type=int, default=1090, help="the invoices are dated over these last days")
    args = p.parse_args(argv)

    clock = Clock(args.time_scale, args.epoch)
    fx = FakeXero(clock)
    tenant_id = fx.add_tenant(args.tenant)
    fx.add_app(args.client_id, args.client_secret, tenants=[tenant_id], custom=True)
    store = fx.tenant(tenant_id).contacts
    start = clock.now() - 3600 - args.contacts / 1000.0
    for i in range(args.contacts):
        record = contact(i, start + i / 1000.0)
        store[record["ContactID"]] = record
    items = fx.tenant(tenant_id).items
    start = clock.now() - 3600 - args.items / 1000.0
    for i in range(args.items):
        record = item(i, start + i / 1000.0)
        items[record["ItemID"]] = record
    extra = seed_invoices(fx, tenant_id, args.invoices, args.contacts, args.big_customer,
                          args.history_days) if args.invoices else {}
    fx.run_as_program(tenant_id, extra=extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
