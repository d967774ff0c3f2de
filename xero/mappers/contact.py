"""Contacts: plain values ⇄ Xero's Contact JSON.

The values dict is Odoo-free (the Odoo side fills it from res.partner):
    number, name, first_name, last_name, email, phone, mobile, website (read only), tax_number,
    currency, street/street2/city/state/zip/country (dicts under "street_address" and
    "postal_address"), persons [{first_name, last_name, email}], archived, xero_id.
``problems(values)`` lists what Xero would refuse, before any call is spent, as
(field, code, params) so the caller can word it in the user's language.
"""
import re

# Field lengths from Xero's OpenAPI description (Contact schema).
MAX = {"name": 255, "first_name": 255, "last_name": 255, "email": 255, "number": 50,
       "tax_number": 50, "phone": 50}
# Xero's own check is loose; this refuses what it refuses (no @, spaces, no dot in domain).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def problems(values):
    found = []
    if not (values.get("name") or "").strip():
        found.append(("name", "required", {}))
    for field, limit in MAX.items():
        value = values.get(field)
        if value and len(value) > limit:
            found.append((field, "too_long", {"max": limit, "length": len(value)}))
    email = values.get("email")
    if email and not EMAIL.match(email):
        found.append(("email", "invalid_email", {"value": email}))
    return found


def _address(kind, address):
    if not address:
        return None
    lines = {"AddressType": kind}
    for key, field in (("street", "AddressLine1"), ("street2", "AddressLine2"), ("city", "City"),
                       ("state", "Region"), ("zip", "PostalCode"), ("country", "Country")):
        if address.get(key):
            lines[field] = address[key]
    return lines if len(lines) > 1 else None


def to_xero(values):
    """The Contact payload for a create or update (only fields we own are sent)."""
    contact = {"Name": values["name"].strip()}
    if values.get("xero_id"):
        contact["ContactID"] = values["xero_id"]
    simple = (("number", "ContactNumber"), ("first_name", "FirstName"), ("last_name", "LastName"),
              ("email", "EmailAddress"), ("tax_number", "TaxNumber"), ("currency", "DefaultCurrency"))
    # Website is read-only in Xero's API (OpenAPI: readOnly): it is read back, never sent.
    for key, field in simple:
        if values.get(key) is not None:
            contact[field] = values[key] or ""
    phones = [{"PhoneType": kind, "PhoneNumber": values[key]}
              for key, kind in (("phone", "DEFAULT"), ("mobile", "MOBILE")) if values.get(key)]
    if phones:
        contact["Phones"] = phones
    addresses = [a for a in (_address("STREET", values.get("street_address")),
                             _address("POBOX", values.get("postal_address"))) if a]
    if addresses:
        contact["Addresses"] = addresses
    if values.get("persons"):
        contact["ContactPersons"] = [
            {k: v for k, v in (("FirstName", p.get("first_name")), ("LastName", p.get("last_name")),
                               ("EmailAddress", p.get("email"))) if v}
            for p in values["persons"]]
    if "archived" in values:
        contact["ContactStatus"] = "ARCHIVED" if values["archived"] else "ACTIVE"
    return contact


def from_xero(contact):
    """Values for the Odoo side from a Contact read from Xero."""
    values = {
        "xero_id": contact.get("ContactID"),
        "number": contact.get("ContactNumber"),
        "name": contact.get("Name"),
        "first_name": contact.get("FirstName"),
        "last_name": contact.get("LastName"),
        "email": contact.get("EmailAddress"),
        "tax_number": contact.get("TaxNumber"),
        "website": contact.get("Website"),
        "currency": contact.get("DefaultCurrency"),
        "archived": contact.get("ContactStatus") == "ARCHIVED",
        "updated": contact.get("UpdatedDateUTC"),
    }
    for phone in contact.get("Phones") or []:
        number = phone.get("PhoneNumber")
        if number:
            number = " ".join(p for p in (phone.get("PhoneCountryCode"), phone.get("PhoneAreaCode"),
                                          number) if p)
            key = {"DEFAULT": "phone", "MOBILE": "mobile"}.get(phone.get("PhoneType"))
            if key:
                values[key] = number
    for address in contact.get("Addresses") or []:
        key = {"STREET": "street_address", "POBOX": "postal_address"}.get(address.get("AddressType"))
        if key:
            values[key] = {"street": address.get("AddressLine1"), "street2": address.get("AddressLine2"),
                           "city": address.get("City"), "state": address.get("Region"),
                           "zip": address.get("PostalCode"), "country": address.get("Country")}
    values["persons"] = [{"first_name": p.get("FirstName"), "last_name": p.get("LastName"),
                          "email": p.get("EmailAddress")} for p in contact.get("ContactPersons") or []]
    return values
