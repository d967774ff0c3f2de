"""Who wins when a group of fields changed on both sides: the one rule of two-way sync.

Each side's values of a group are fingerprinted (``mappers.contact.group_hashes``) and the
fingerprints of the last exchange are kept (the *base*). A side whose fingerprint differs from
its base changed the group since. Only one side changed: it wins. Both changed: the owner of the
group decides (``odoo``, ``xero``) or, with ``newest``, the later change (Odoo's last change of
the group against Xero's UpdatedDateUTC of the contact). Xero only keeps one modification date
per contact, so "newest" compares a group's change in Odoo with the contact's last change in Xero.
"""
ODOO, XERO, NEWEST = "odoo", "xero", "newest"
RULES = (ODOO, XERO, NEWEST)

PUSH, PULL, NOTHING = "push", "pull", "nothing"


def resolve(odoo_hash, xero_hash, base_odoo, base_xero, rule=NEWEST, odoo_changed=None, xero_changed=None,
            empty=None):
    """PUSH (Odoo's values go to Xero), PULL (Xero's come to Odoo) or NOTHING.

    ``odoo_changed`` / ``xero_changed``: comparable timestamps (None: unknown, i.e. long ago).
    ``empty``: the fingerprint of a group with no values. On a first link (no base on either
    side) a side that has nothing for the group takes the other's values, whatever the rule:
    matching a contact must not wipe what one side knows and the other does not.
    """
    if empty is not None and base_odoo is None and base_xero is None:
        if xero_hash == empty:
            return PUSH if odoo_hash != empty else NOTHING
        if odoo_hash == empty:
            return PULL
    odoo_dirty = odoo_hash != base_odoo
    xero_dirty = xero_hash != base_xero
    if not xero_dirty:
        return PUSH if odoo_dirty else NOTHING
    if not odoo_dirty:
        return PULL
    if rule == ODOO:
        return PUSH
    if rule == XERO:
        return PULL
    if odoo_changed is None:
        return PULL
    if xero_changed is None:
        return PUSH
    return PULL if xero_changed >= odoo_changed else PUSH
