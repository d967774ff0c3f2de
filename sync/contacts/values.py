"""Odoo partners ⇄ the plain contact values of ``xero.mappers.contact``: the one place that
knows which partner field is which Xero field.

Finance's view of a customer is its commercial entity: a company with its people, or a person
on their own. So a company goes to Xero with its first contact person as FirstName/LastName and
the next ones (up to five) as ContactPersons; an invoice address child is the postal (POBOX)
address Xero prints on invoices, else the partner's own address is used for both.

Values are computed for many partners at once from prefetched records (no query per partner),
in English (country names must not change with the user's language, or every partner would
look changed).
"""
from ...xero.mappers.contact import GROUPS, MAX_PERSONS
from ..mapping import Mapping

# res.partner fields whose change touches a group of the Xero contact.
PARTNER_GROUPS = {
    "name": "identity", "email": "identity", "is_company": "identity", "company_type": "identity",
    "parent_id": "identity", "type": "identity",
    "street": "addresses", "street2": "addresses", "city": "addresses", "state_id": "addresses",
    "zip": "addresses", "country_id": "addresses",
    "phone": "phones", "mobile": "phones",
    "vat": "terms", "property_payment_term_id": "terms", "property_product_pricelist": "terms",
    "specific_property_product_pricelist": "terms",
    "active": "status",
}
# On a child (a contact person or an invoice address), these change its commercial partner.
CHILD_FIELDS = {"name", "email", "type", "active", "parent_id", "street", "street2", "city", "state_id",
                "zip", "country_id"}
PERSON_TYPES = ("contact", "invoice")
ADDRESS_FIELDS = ("street", "street2", "city", "state_id", "zip", "country_id")

NUMBER_PARAM = "xero_connector.contact_number_prefix"
DEFAULT_PREFIX = "ODOO-"


def number_prefix(env):
    """ContactNumber = prefix + partner id: stable, and readable in Xero."""
    return env["ir.config_parameter"].sudo().get_param(NUMBER_PARAM) or DEFAULT_PREFIX


def partner_id_from_number(prefix, number):
    if number and number.startswith(prefix) and number[len(prefix):].isdigit():
        return int(number[len(prefix):])
    return None


def split_name(name):
    parts = (name or "").strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def _address(partner):
    lines = {"street": partner.street or "", "street2": partner.street2 or "", "city": partner.city or "",
             "state": partner.state_id.name or "", "zip": partner.zip or "",
             "country": partner.country_id.name or ""}
    return lines if any(lines.values()) else None


def contact_values(partners, connection, prefix=None, mapping=None):
    """{partner id: values} for commercial partners, for ``connection``'s company; payment
    terms as the connection's map (``mapping``, read here when not given) says."""
    env = partners.env
    prefix = prefix or number_prefix(env)
    mapping = mapping or Mapping(connection)
    partners = partners.with_context(lang="en_US", active_test=False).with_company(connection.company_id)
    out = {}
    for partner in partners:
        kids = partner.child_ids
        if kids:
            children = kids.filtered(lambda c: c.active and c.type in PERSON_TYPES and c.name)
            people = children.sorted(lambda c: (c.type != "contact", c.id))
            invoice = kids.filtered(lambda c: c.active and c.type == "invoice" and (c.street or c.city))[:1]
        else:  # most partners: nothing to filter
            people = invoice = kids
        if partner.is_company:
            first, last = split_name(people[:1].name) if people else ("", "")
            people = people[1:]
        else:
            first, last = split_name(partner.name)
        street = _address(partner)
        out[partner.id] = {
            "number": "%s%d" % (prefix, partner.id),
            "name": partner.name or "",
            "first_name": first,
            "last_name": last,
            "email": partner.email or "",
            "persons": [{"first_name": split_name(p.name)[0], "last_name": split_name(p.name)[1],
                         "email": p.email or "", "include_in_emails": p.type == "invoice"}
                        for p in people[:MAX_PERSONS]],
            "phone": partner.phone or "",
            "mobile": partner.mobile or "",
            "street_address": street,
            "postal_address": _address(invoice) if invoice else street,
            "tax_number": partner.vat or "",
            # The customer's pricelist currency; without pricelists, the company's.
            "currency": (partner.property_product_pricelist.currency_id or connection.company_id.currency_id).name,
            "payment_terms": mapping.payment_terms(partner.property_payment_term_id),
            "archived": not partner.active,
        }
    return out


def touched_groups(vals, child=False):
    """Groups of the commercial partner's contact that a write of ``vals`` may change."""
    if child:
        fields = set(vals) & CHILD_FIELDS
        if not fields:
            return set()
        return {"identity"} | ({"addresses"} if fields & set(ADDRESS_FIELDS) else set())
    return {PARTNER_GROUPS[f] for f in vals if f in PARTNER_GROUPS}


class PartnerWriter:
    """Xero's values → res.partner values, with the lookups a page of contacts needs cached."""

    def __init__(self, env, connection, mapping=None):
        self.env = env
        self.company = connection.company_id
        countries = env["res.country"].with_context(lang="en_US").search_read([], ["name", "code"])
        self.countries = {}
        for c in countries:
            self.countries[c["code"].upper()] = c["id"]
            self.countries[c["name"].casefold()] = c["id"]
        self._states = {}
        self._terms = None
        self.mapping = mapping or Mapping(connection)

    # -- lookups ------------------------------------------------------------------------------
    def country(self, text):
        text = (text or "").strip()
        return self.countries.get(text.upper()) or self.countries.get(text.casefold()) or False

    def state(self, country_id, text):
        if not country_id or not text:
            return False
        if country_id not in self._states:
            states = self.env["res.country.state"].with_context(lang="en_US").search_read(
                [("country_id", "=", country_id)], ["name", "code"])
            self._states[country_id] = {k: s["id"] for s in states
                                        for k in (s["code"].casefold(), s["name"].casefold())}
        return self._states[country_id].get(text.strip().casefold(), False)

    def payment_term(self, terms):
        if not terms:
            return None
        if self._terms is None:
            self._terms = {}
            found = self.env["account.payment.term"].search([("company_id", "in", (False, self.company.id))])
            # Terms the administrator mapped come first: Xero's terms come back as those.
            for term in found.sorted(lambda t: not self.mapping.is_term_mapped(t)):
                key = self.mapping.payment_terms(term)
                if key:
                    self._terms.setdefault((key["type"], key["days"]), term.id)
        return self._terms.get((terms["type"], terms["days"]))

    # -- values -------------------------------------------------------------------------------
    def address_vals(self, address):
        address = address or {}
        country = self.country(address.get("country"))
        return {"street": address.get("street") or False, "street2": address.get("street2") or False,
                "city": address.get("city") or False, "zip": address.get("zip") or False,
                "country_id": country, "state_id": self.state(country, address.get("state"))}

    def partner_vals(self, values, groups):
        """Plain values of ``groups`` as res.partner field values (children apart)."""
        vals = {}
        if "identity" in groups:
            vals["name"] = (values.get("name") or "").strip()
            vals["email"] = values.get("email") or False
            if values.get("website"):
                vals["website"] = values["website"]
        if "addresses" in groups:
            vals.update(self.address_vals(values.get("street_address") or values.get("postal_address")))
        if "phones" in groups:
            vals["phone"] = values.get("phone") or False
            vals["mobile"] = values.get("mobile") or False
        if "terms" in groups:
            vals["vat"] = values.get("tax_number") or False
            term = self.payment_term(values.get("payment_terms"))
            if term:
                vals["property_payment_term_id"] = term
        if "status" in groups:
            vals["active"] = not values.get("archived")
        return vals

    def new_partner_vals(self, values):
        """A partner for a contact first seen in Xero: it belongs to the organisation's company."""
        vals = self.partner_vals(values, GROUPS)
        first, last = values.get("first_name"), values.get("last_name")
        person = " ".join(p for p in (first, last) if p)
        # Xero has no company flag: a contact named after its person is an individual.
        vals["is_company"] = not person or person.casefold() != (values.get("name") or "").strip().casefold()
        vals["company_id"] = self.company.id
        return vals
