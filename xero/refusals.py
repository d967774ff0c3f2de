"""Xero's refusal texts that a sync can act on, recognised in one place.

Xero answers a refused record with sentences, not codes. A few of them mean "the record you
are creating already exists" and let the caller link the existing one instead of failing;
the wordings are Xero's (see the fake's rules, which send the same).
"""
CONTACT_NUMBER_TAKEN = "contact_number_taken"  # "The contact number X is already assigned to another contact."
CONTACT_NAME_TAKEN = "contact_name_taken"  # "The contact name X is already assigned to another contact. ..."
ITEM_CODE_TAKEN = "item_code_taken"  # "Price List Item with Code 'X' already exists"


def reasons(messages):
    """The set of recognised reasons among Xero's messages for one record."""
    found = set()
    for message in messages or ():
        text = (message or "").casefold()
        if "already assigned to another contact" in text:
            found.add(CONTACT_NUMBER_TAKEN if "contact number" in text else CONTACT_NAME_TAKEN)
        if "item with code" in text and "already exists" in text:
            found.add(ITEM_CODE_TAKEN)
    return found
