"""Is this product in Xero already? Asked before a first push, and by the pull of an item Odoo
does not know.

Xero's codes are unique, so an item with the product's code is the product (sure: linked).
An item of the same normalised name but another code may be (doubtful: a person reviews it,
nothing is created meanwhile). Items already linked to another product are left out. Xero
answers every item in one call, so one read serves a whole batch.
"""
from ...xero.mappers.item import normalise_name


class ItemIndex:
    """Xero items (not linked to a product yet) by upper-cased code and by normalised name."""

    def __init__(self, items=()):
        self.by_code, self.by_name = {}, {}
        for item in items:
            self.add(item)

    def add(self, item):
        if item.get("Code"):
            self.by_code.setdefault(item["Code"].strip().upper(), item)
        name = normalise_name(item.get("Name"))
        if name:
            self.by_name.setdefault(name, []).append(item)

    def match(self, values):
        """(sure item or None, [doubtful items])."""
        sure = self.by_code.get((values.get("code") or "").strip().upper())
        if sure:
            return sure, []
        return None, list(self.by_name.get(normalise_name(values.get("name")), []))


def free_items(sync, items):
    """The items not linked to a product of this connection yet."""
    items = list(items)
    taken = {i.lower() for i in sync.links._xero_ids_linked(sync.connection, [i["ItemID"] for i in items])}
    return [i for i in items if i["ItemID"].lower() not in taken]
