#!/usr/bin/env python3
"""A fake Xero for the benchmarks, optionally holding N contacts and M items already (as an
organisation that has used Xero for years), served like ``python -m xero_sandbox``:

    python bench/fake_xero.py --time-scale 10 --epoch 1700000000.0 --contacts 100000 --items 20000 \
        --client-id ID --client-secret SECRET

prints ``FAKE_XERO_URL=... TENANT_ID=...`` on one line once the contacts are in, then serves
until killed. The contacts are put in the store directly (seeding 100,000 through the API would
take 2,000 calls, half an hour of Xero's minute limit); their UpdatedDateUTC are in the past,
one millisecond apart, oldest first. One in ten contacts is a company with a contact person; one in
ten items is tracked, with stock.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from xero.clock import Clock  # noqa: E402
from xero_sandbox import FakeXero  # noqa: E402
from xero_sandbox.contacts import merge, new_contact  # noqa: E402
from xero_sandbox.shapes import ms_date  # noqa: E402

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
    return merge(new_contact("00000000-0000-4000-8000-%012d" % i), values)


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


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--time-scale", type=float, default=1.0)
    p.add_argument("--epoch", type=float, default=None)
    p.add_argument("--contacts", type=int, default=0)
    p.add_argument("--items", type=int, default=0)
    p.add_argument("--client-id", default="bench-client")
    p.add_argument("--client-secret", default="bench-secret")
    p.add_argument("--tenant", default="Bench Organisation")
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
    fx.run_as_program(tenant_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
