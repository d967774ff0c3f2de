"""Contacts: plain values ⇄ Xero's Contact JSON.

The values dict is Odoo-free (the Odoo side fills it from res.partner):
    number, name, first_name, last_name, email, phone, mobile, website (read only),
    tax_number, currency, payment_terms {"type", "days"},
    street_address / postal_address {street, street2, city, state, zip, country},
    persons [{first_name, last_name, email, include_in_emails}], archived, xero_id.

Fields are grouped (``GROUPS``) the way conflicts are settled: a group is sent, compared and
applied as a whole. ``group_hashes(values)`` fingerprints each group so a caller can tell
which side changed what since the last exchange.
``problems(values)`` lists what Xero would refuse, before any call is spent, as
(field, code, params) so the caller can word it in the user's language.
"""
import re
import unicodedata

from . import common

# Field lengths from Xero's OpenAPI description (Contact, Address, Phone schemas).
MAX = {"name": 255, "first_name": 255, "last_name": 255, "email": 255, "number": 50,
       "tax_number": 50, "phone": 50, "mobile": 50}
ADDRESS_MAX = {"street": 500, "street2": 500, "city": 255, "state": 255, "zip": 50, "country": 50}
ADDRESS_KEYS = ("street", "street2", "city", "state", "zip", "country")
MAX_PERSONS = 5  # Xero keeps at most five contact persons besides the main one
# Xero documents non-ASCII addresses as unsupported: ASCII local part, dotted domain.
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
PAYMENT_TERM_TYPES = ("DAYSAFTERBILLDATE", "DAYSAFTERBILLMONTH", "OFCURRENTMONTH", "OFFOLLOWINGMONTH")

# Conflicts are settled per group; "status" (archived or not) always goes to the newest side.
GROUPS = {
    "identity": ("name", "first_name", "last_name", "email", "persons", "website"),
    "addresses": ("street_address", "postal_address"),
    "phones": ("phone", "mobile"),
    "terms": ("tax_number", "currency", "payment_terms"),
    "status": ("archived",),
}


# -- checks -------------------------------------------------------------------------------------

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
    for kind in ("street_address", "postal_address"):
        for key, limit in ADDRESS_MAX.items():
            value = (values.get(kind) or {}).get(key)
            if value and len(value) > limit:
                found.append(("%s.%s" % (kind, key), "too_long", {"max": limit, "length": len(value)}))
    for index, person in enumerate(values.get("persons") or []):
        email = person.get("email")
        if email and not EMAIL.match(email):
            found.append(("persons.%d.email" % index, "invalid_email", {"value": email}))
        for key in ("first_name", "last_name"):
            value = person.get(key)
            if value and len(value) > 255:
                found.append(("persons.%d.%s" % (index, key), "too_long", {"max": 255, "length": len(value)}))
    return found


# -- normal forms (matching and fingerprints) ---------------------------------------------------

LEGAL_SUFFIXES = {
    "ltd", "limited", "inc", "incorporated", "llc", "llp", "plc", "pty", "co", "corp",
    "corporation", "company", "gmbh", "sa", "sarl", "sas", "bv", "nv", "ag", "srl", "spa", "the",
}


def normalise_name(name):
    """'ACME Ltd.' and 'Acme Limited' → 'acme': case, accents, punctuation, legal forms."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ").replace(".", "")
    words = re.sub(r"[\W_]+", " ", text).split()
    core = [w for w in words if w not in LEGAL_SUFFIXES]
    return " ".join(core or words)


def normalise_tax(number):
    return re.sub(r"[^0-9A-Za-z]", "", number or "").upper()


def normalise_email(email):
    return (email or "").strip().casefold()


def _canonical(group, values):
    out = []
    for key in GROUPS[group]:
        value = values.get(key)
        if key.endswith("_address"):
            value = [common.text((value or {}).get(k)) for k in ADDRESS_KEYS]
            value = value if any(value) else ""
        elif key == "persons":
            value = [[common.text(p.get("first_name")), common.text(p.get("last_name")),
                      normalise_email(p.get("email"))] for p in value or []]
        elif key == "payment_terms":
            value = [value.get("type") or "", int(value.get("days") or 0)] if value else ""
        elif key == "archived":
            value = bool(value)
        elif key == "email":
            value = normalise_email(value)
        else:
            value = common.text(value)
        out.append(value)
    return out


def group_hashes(values, groups=GROUPS):
    """{group: short fingerprint of its values}; equal values give equal fingerprints."""
    return common.group_hashes(_canonical, groups, values)


# -- Odoo-side values → Xero -------------------------------------------------------------------

def _address(kind, address, create):
    address = address or {}
    lines = {"AddressType": kind}
    for key, field in (("street", "AddressLine1"), ("street2", "AddressLine2"), ("city", "City"),
                       ("state", "Region"), ("zip", "PostalCode"), ("country", "Country")):
        if address.get(key) or not create:
            lines[field] = address.get(key) or ""
    if create and len(lines) == 1:
        return None
    return lines


def _person(person):
    out = {k: v for k, v in (("FirstName", person.get("first_name")), ("LastName", person.get("last_name")),
                             ("EmailAddress", person.get("email"))) if v}
    out["IncludeInEmails"] = bool(person.get("include_in_emails"))
    return out


def to_xero(values, groups=None, create=None):
    """The Contact payload.

    ``create`` (default: no ``xero_id``): every non-empty field, with ContactNumber, for a PUT.
    Otherwise an update of the contact ``xero_id`` carrying only ``groups`` (default all), each
    field sent even when empty so that a value cleared in Odoo is cleared in Xero too.
    Website is read-only in Xero's API (OpenAPI: readOnly): it is read back, never sent.
    """
    if create is None:
        create = not values.get("xero_id")
    groups = set(GROUPS if groups is None or create else groups)
    contact = {}
    if not create:
        contact["ContactID"] = values["xero_id"]
    elif values.get("number"):
        contact["ContactNumber"] = values["number"]

    def put(field, value):
        if value or not create:
            contact[field] = value or ""

    if "identity" in groups:
        contact["Name"] = (values.get("name") or "").strip()
        put("FirstName", values.get("first_name"))
        put("LastName", values.get("last_name"))
        put("EmailAddress", values.get("email"))
        persons = [_person(p) for p in (values.get("persons") or [])[:MAX_PERSONS]]
        if persons or not create:
            contact["ContactPersons"] = persons
    if "phones" in groups:
        phones = []
        for key, kind in (("phone", "DEFAULT"), ("mobile", "MOBILE")):
            if values.get(key) or not create:
                # Area and country codes are reset: the whole number lives in PhoneNumber.
                phones.append({"PhoneType": kind, "PhoneNumber": values.get(key) or "",
                               "PhoneAreaCode": "", "PhoneCountryCode": ""})
        if phones:
            contact["Phones"] = phones
    if "addresses" in groups:
        addresses = [a for a in (_address("STREET", values.get("street_address"), create),
                                 _address("POBOX", values.get("postal_address"), create)) if a]
        if addresses:
            contact["Addresses"] = addresses
    if "terms" in groups:
        put("TaxNumber", values.get("tax_number"))
        if values.get("currency"):
            contact["DefaultCurrency"] = values["currency"]
        terms = values.get("payment_terms")
        if terms and terms.get("type") in PAYMENT_TERM_TYPES:
            contact["PaymentTerms"] = {"Sales": {"Day": int(terms.get("days") or 0), "Type": terms["type"]}}
    if "status" in groups and ("archived" in values) and (values["archived"] or not create):
        contact["ContactStatus"] = "ARCHIVED" if values["archived"] else "ACTIVE"
    return contact


# -- Xero → values ------------------------------------------------------------------------------

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
        "phone": None,
        "mobile": None,
        "street_address": None,
        "postal_address": None,
        "payment_terms": None,
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
            lines = {"street": address.get("AddressLine1"), "street2": address.get("AddressLine2"),
                     "city": address.get("City"), "state": address.get("Region"),
                     "zip": address.get("PostalCode"), "country": address.get("Country")}
            values[key] = lines if any(lines.values()) else None
    sales = (contact.get("PaymentTerms") or {}).get("Sales") or {}
    if sales.get("Type"):
        values["payment_terms"] = {"type": sales["Type"], "days": int(sales.get("Day") or 0)}
    values["persons"] = [{"first_name": p.get("FirstName"), "last_name": p.get("LastName"),
                          "email": p.get("EmailAddress"), "include_in_emails": bool(p.get("IncludeInEmails"))}
                         for p in contact.get("ContactPersons") or []]
    return values
