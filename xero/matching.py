"""Finding the Xero contact an Odoo customer already is, before creating it there.

Rules, strongest first (the ContactID rule is the link itself, handled by the caller):
    ContactNumber equal to our reference            sure      (we wrote it, or were told to)
    one contact with the same TaxNumber             sure
    several contacts with that TaxNumber            doubtful
    same e-mail address (case-insensitive)          doubtful
    same normalised name ('ACME Ltd' ~ 'Acme Limited') doubtful
Sure matches are linked without asking; doubtful ones go to a person with their evidence.
Archived contacts count for the sure rules only: an archived namesake does not block a new
contact in Xero (archiving frees a name) and is rarely the customer meant.

The index keeps a few keys per contact, not whole contacts, so a large organisation fits.
"""
from .mappers.contact import normalise_email, normalise_name, normalise_tax

SURE_RULES = ("number", "tax_number")


class Candidate:
    __slots__ = ("contact_id", "name", "email", "number", "tax_number", "archived")

    def __init__(self, contact):
        self.contact_id = contact.get("ContactID")
        self.name = contact.get("Name") or ""
        self.email = contact.get("EmailAddress") or ""
        self.number = contact.get("ContactNumber") or ""
        self.tax_number = contact.get("TaxNumber") or ""
        self.archived = contact.get("ContactStatus") == "ARCHIVED"

    def __repr__(self):
        return "Candidate(%s, %r)" % (self.contact_id, self.name)


class Match:
    """``sure``: (Candidate, rule) or None; ``doubtful``: [(Candidate, [rules])], best first."""

    __slots__ = ("sure", "doubtful")

    def __init__(self, sure=None, doubtful=()):
        self.sure = sure
        self.doubtful = list(doubtful)

    def __bool__(self):
        return bool(self.sure or self.doubtful)


class ContactIndex:
    def __init__(self):
        self._number, self._tax, self._email, self._name = {}, {}, {}, {}
        self.size = 0

    def add(self, contact):
        candidate = Candidate(contact)
        self.size += 1
        if candidate.number:
            self._number.setdefault(candidate.number, candidate)
        if candidate.tax_number:
            self._tax.setdefault(normalise_tax(candidate.tax_number), []).append(candidate)
        if not candidate.archived:
            if candidate.email:
                self._email.setdefault(normalise_email(candidate.email), []).append(candidate)
            name = normalise_name(candidate.name)
            if name:
                self._name.setdefault(name, []).append(candidate)
        return candidate

    def match(self, values):
        """The Match for Odoo-side contact ``values`` (keys: number, tax_number, email, name)."""
        number = values.get("number")
        if number and number in self._number:
            return Match(sure=(self._number[number], "number"))
        evidence = {}
        tax = normalise_tax(values.get("tax_number"))
        taxed = self._tax.get(tax, []) if tax else []
        if len(taxed) == 1:
            return Match(sure=(taxed[0], "tax_number"))
        for candidate in taxed:
            evidence.setdefault(candidate, []).append("tax_number")
        email = normalise_email(values.get("email"))
        for candidate in self._email.get(email, []) if email else []:
            evidence.setdefault(candidate, []).append("email")
        name = normalise_name(values.get("name"))
        for candidate in self._name.get(name, []) if name else []:
            same = (candidate.name.strip().casefold() == (values.get("name") or "").strip().casefold())
            evidence.setdefault(candidate, []).append("same_name" if same else "similar_name")
        ranked = sorted(evidence.items(), key=lambda item: (-len(item[1]), item[0].name))
        return Match(doubtful=ranked)
