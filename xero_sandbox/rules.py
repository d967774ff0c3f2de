"""Xero's validation rules for contacts, as messages for an element's ``ValidationErrors``
(items: ``itemrules.py``).

Field lengths and enums come from Xero's OpenAPI description (``xero_accounting.yaml``,
schemas Contact, Address, Phone); they are copied here because the fake must run where that
file is absent, and a test checks this table against the file when it is there. The
uniqueness and email messages are the ones Xero sends.
"""
import re

from .contactstore import ContactStore

CONTACT_MAX = {
    "ContactNumber": 50, "AccountNumber": 50, "Name": 255, "FirstName": 255,
    "LastName": 255, "CompanyNumber": 50, "EmailAddress": 255, "TaxNumber": 50,
}
ADDRESS_MAX = {
    "AddressLine1": 500, "AddressLine2": 500, "AddressLine3": 500, "AddressLine4": 500,
    "City": 255, "Region": 255, "PostalCode": 50, "Country": 50, "AttentionTo": 255,
}
PHONE_MAX = {"PhoneNumber": 50, "PhoneAreaCode": 10, "PhoneCountryCode": 20}
ADDRESS_TYPES = ("POBOX", "STREET")
PHONE_TYPES = ("DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE")
# GDPRREQUEST is a status Xero sets itself; a client may only switch ACTIVE <-> ARCHIVED.
SETTABLE_CONTACT_STATUS = ("ACTIVE", "ARCHIVED")

# Xero documents umlauts as unsupported: an ASCII address with a dotted domain.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def is_valid_email(value):
    return bool(_EMAIL.match(value))


def _too_long(field, value, limit):
    if isinstance(value, str) and len(value) > limit:
        return "%s must not be more than %d characters long." % (field, limit)
    return None


def length_errors(record, limits):
    """A message per text field of ``record`` longer than its limit in ``limits``."""
    return [m for m in (_too_long(f, record.get(f), n) for f, n in limits.items()) if m]


def contact_errors(merged, incoming, contact_id, others):
    """Messages for one contact about to be saved.

    ``merged``: the record as it would be stored; ``incoming``: what the client sent (type
    checks apply to sent values only); ``contact_id``: its ID (None when new); ``others``:
    the tenant's contacts as the request sees them, batch siblings already applied included
    (a ``ContactStore`` or its pending ``changes()``; a plain dict of contacts is indexed
    first). The uniqueness checks use their indexes, so they cost O(1) at any size.
    """
    if isinstance(others, dict):
        others = ContactStore(others)
    errors = []
    name = merged.get("Name")
    if not isinstance(name, str) or not name.strip():
        errors.append("The contact name must be specified.")
    errors += length_errors(merged, CONTACT_MAX)

    email = incoming.get("EmailAddress")
    if isinstance(email, str) and email and not is_valid_email(email):
        errors.append("Email address must be valid.")

    status = incoming.get("ContactStatus")
    if status is not None and status not in SETTABLE_CONTACT_STATUS:
        errors.append("ContactStatus must be one of %s." % ", ".join(SETTABLE_CONTACT_STATUS))

    for address in incoming.get("Addresses") or []:
        if address.get("AddressType") not in ADDRESS_TYPES:
            errors.append("AddressType must be one of %s." % ", ".join(ADDRESS_TYPES))
        errors += length_errors(address, ADDRESS_MAX)
    for phone in incoming.get("Phones") or []:
        if phone.get("PhoneType") not in PHONE_TYPES:
            errors.append("PhoneType must be one of %s." % ", ".join(PHONE_TYPES))
        errors += length_errors(phone, PHONE_MAX)

    # Names are unique among ACTIVE contacts only: archiving a contact frees its name.
    if isinstance(name, str) and name.strip() and merged.get("ContactStatus", "ACTIVE") == "ACTIVE":
        if any(cid != contact_id for cid in others.with_active_name(name)):
            errors.append(
                "The contact name %s is already assigned to another contact. "
                "The contact name must be unique across all active contacts." % name.strip())
    # Contact numbers identify contacts from other systems: unique across all contacts.
    number = merged.get("ContactNumber")
    if number:
        if any(cid != contact_id for cid in others.with_number(number)):
            errors.append("The contact number %s is already assigned to another contact." % number)
    return errors
