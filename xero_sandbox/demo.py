"""What the demo organisation holds beyond a new organisation's chart and tax rates: a few
customers and items of a small New Zealand business, as if entered in Xero by hand before the
connector was connected (``python -m xero_sandbox --seed demo``, which ``bin/run`` uses).

The names are chosen not to look like any of Odoo's demo customers or products, so connecting
Odoo's demo company brings them in as new contacts and products instead of asking to review a
possible match. Prices are tax exclusive, on the NZ edition's accounts (200 Sales, 260 Other
Revenue, 4000 Sales - Services, 310 Cost of Goods Sold) and its 15% GST rates (OUTPUT2, INPUT2).
"""
import uuid

from . import shapes
from .contacts import new_contact

# (Name, first name, last name, e-mail, street, city, postcode, phone area code, number, GST number)
CONTACTS = (
    ("Kauri Coast Builders Ltd", "Mere", "Tane", "accounts@kauricoastbuilders.co.nz",
     "14 Bank Street", "Whangarei", "0110", "09", "438 2750", "111-222-333"),
    ("Harbourside Dental Ltd", "James", "Whitaker", "reception@harboursidedental.co.nz",
     "201 Lambton Quay", "Wellington", "6011", "04", "472 9183", "094-317-552"),
    ("Tui Street Bakery", "Aroha", "Ngata", "hello@tuistreetbakery.co.nz",
     "7 Tui Street", "Christchurch", "8011", "03", "366 4021", None),
    ("Pohutukawa Print Co", "Sam", "Leota", "orders@pohutukawaprint.co.nz",
     "88 Karangahape Road", "Auckland", "1010", "09", "307 6614", "102-884-190"),
    ("Southern Lakes Outfitters Ltd", "Fiona", "McKenzie", "fiona@southernlakes.co.nz",
     "32 Shotover Street", "Queenstown", "9300", "03", "442 8876", "087-552-904"),
)

# (Code, Name, description, sales price, sales account, purchase price or None)
ITEMS = (
    ("CONSULT-HR", "Workspace consultation (per hour)", "Workspace planning with one of our consultants",
     140.0, "4000", None),
    ("INSTALL-HR", "On-site installation (per hour)", "Installation by our team, travel within 30 km included",
     95.0, "4000", None),
    ("MAT-STAND", "Anti-fatigue standing mat", "Anti-fatigue mat for standing desks, 90 x 60 cm",
     79.0, "200", 41.5),
    ("CABLE-KIT", "Cable tidy kit", "Under-desk cable tray, ties and clips",
     34.5, "200", 16.0),
    ("FREIGHT-NZ", "Freight, anywhere in New Zealand", "Courier delivery to one address in New Zealand",
     25.0, "260", None),
)


def contact_fields(name, first, last, email, street, city, postcode, area, number, gst):
    """A contact as Xero stores one entered by hand (addresses and phones of every type)."""
    contact = new_contact(None)
    contact.update(Name=name, FirstName=first, LastName=last, EmailAddress=email, DefaultCurrency="NZD")
    contact["Addresses"] = [
        {"AddressType": "STREET", "AddressLine1": street, "City": city, "Region": "", "PostalCode": postcode,
         "Country": "New Zealand"},
        {"AddressType": "POBOX", "City": "", "Region": "", "PostalCode": "", "Country": ""},
    ]
    contact["Phones"] = [dict(p, PhoneNumber=number, PhoneAreaCode=area, PhoneCountryCode="64")
                         if p["PhoneType"] == "DEFAULT" else p for p in contact["Phones"]]
    if gst:
        contact["TaxNumber"] = gst
    return contact


def item_fields(code, name, description, price, account, cost):
    """An item in the shape of a PUT /Items element."""
    fields = {"Code": code, "Name": name, "Description": description,
              "SalesDetails": {"UnitPrice": price, "AccountCode": account, "TaxType": "OUTPUT2"}}
    if cost is None:
        fields["IsPurchased"] = False
    else:
        fields.update(PurchaseDescription=description,
                      PurchaseDetails={"UnitPrice": cost, "AccountCode": "310", "TaxType": "INPUT2"})
    return fields


def seed_demo(fx, tenant_id):
    """Give the organisation ``tenant_id`` of ``fx`` the demo's contacts and items. Returns
    (contacts added, items added)."""
    tenant = fx.tenant(tenant_id)
    stamp = shapes.ms_date(fx.clock.now())
    with tenant.lock:
        for row in CONTACTS:
            contact_id = str(uuid.uuid4())
            tenant.contacts[contact_id] = dict(contact_fields(*row), ContactID=contact_id, UpdatedDateUTC=stamp)
    for row in ITEMS:
        fx.add_item(tenant_id, item_fields(*row), unitdp=2)
    return len(CONTACTS), len(ITEMS)
