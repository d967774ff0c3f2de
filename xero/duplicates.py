"""Possible duplicate contacts in a Xero organisation: active contacts that share a name, an
e-mail address or a tax number, once each is put in a normal form.

Xero itself refuses two active contacts of the very same name (trimmed, any case), so the names
compared here are normalised further, as the matching of customers does (``xero/matching.py``):
'ACME Ltd.' and 'Acme Limited' are one name. E-mail addresses compare in any case, tax numbers
without their spaces and dashes.

Contacts are added one at a time while the pages are read, and only a few short keys of each
are kept, so an organisation of 100,000 contacts fits. Contacts linked by any shared key form
one group (A and B share a name, B and C an e-mail: A, B and C are one group), reported once.
"""
from .mappers.contact import normalise_email, normalise_name, normalise_tax

NAME, EMAIL, TAX_NUMBER = "name", "email", "tax_number"
REASONS = (NAME, EMAIL, TAX_NUMBER)


def keys(contact):
    """{reason: normal form} of a Xero contact (a dict as Xero answers it); empty ones left out."""
    found = {NAME: normalise_name(contact.get("Name")), EMAIL: normalise_email(contact.get("EmailAddress")),
             TAX_NUMBER: normalise_tax(contact.get("TaxNumber"))}
    return {reason: value for reason, value in found.items() if value}


class Group:
    """Contacts that may be one: ``contacts`` [(ContactID, name)] by name, and the ``reasons``
    they were grouped for (a subset of REASONS, in that order)."""

    __slots__ = ("contacts", "reasons")

    def __init__(self, contacts, reasons):
        self.contacts = contacts
        self.reasons = reasons

    def __repr__(self):
        return "Group(%r, %r)" % (self.contacts, self.reasons)


class DuplicateFinder:
    """Feed it contacts (``add``), then ask for the ``groups``."""

    def __init__(self):
        self._names = []  # index → (ContactID, name)
        self._parent = []  # union-find forest over the indexes
        self._first = {}  # (reason, normal form) → index of the first contact that had it
        self._reasons = {}  # root index → reasons its group shares (set)

    def __len__(self):
        return len(self._names)

    def add(self, contact):
        """Count one contact in; archived ones are not (archiving is how Xero retires a duplicate)."""
        if contact.get("ContactStatus", "ACTIVE") != "ACTIVE":
            return
        index = len(self._names)
        self._names.append((contact.get("ContactID"), contact.get("Name") or ""))
        self._parent.append(index)
        for reason, value in keys(contact).items():
            other = self._first.setdefault((reason, value), index)
            if other != index:
                root = self._union(other, index)
                self._reasons.setdefault(root, set()).add(reason)

    def groups(self):
        """The groups of two contacts or more, largest first, then by their first name."""
        members = {}
        for index in range(len(self._names)):
            members.setdefault(self._find(index), []).append(index)
        out = []
        for root, indexes in members.items():
            if len(indexes) < 2:
                continue
            contacts = sorted((self._names[i] for i in indexes), key=lambda c: (c[1].casefold(), c[0] or ""))
            reasons = self._reasons.get(root, set())
            out.append(Group(contacts, [r for r in REASONS if r in reasons]))
        out.sort(key=lambda g: (-len(g.contacts), g.contacts[0][1].casefold()))
        return out

    # -- union-find -----------------------------------------------------------------------------
    def _find(self, index):
        parent = self._parent
        root = index
        while parent[root] != root:
            root = parent[root]
        while parent[index] != root:  # path compression: later finds are short
            parent[index], index = root, parent[index]
        return root

    def _union(self, a, b):
        """Join the groups of ``a`` and ``b``; returns the root of the joined group."""
        root_a, root_b = self._find(a), self._find(b)
        if root_a == root_b:
            return root_a
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        reasons = self._reasons.pop(root_b, set())
        self._reasons.setdefault(root_a, set()).update(reasons)
        return root_a


def find(contacts):
    """The groups of possible duplicates among ``contacts`` (any iterable of Xero contacts)."""
    finder = DuplicateFinder()
    for contact in contacts:
        finder.add(contact)
    return finder.groups()
