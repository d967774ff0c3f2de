"""Xero's contacts written into Odoo: the groups a merge pulled, and partners for contacts new to
Odoo, with their people (contact persons) and postal address (an invoice address child).

Children are never deleted: a person removed in Xero stays in Odoo.
"""
from ...xero.mappers import contact as mapper
from ..engine.merge import changed
from . import create


def write_groups(sync, partner, values, groups):
    """Xero's values of ``groups`` onto ``partner`` and its children; True if anything changed."""
    vals = changed(partner, sync.writer.partner_vals(values, groups))
    kids = child_vals(sync, partner, values, groups)
    if vals:
        partner.write(vals)
    write_children(sync, kids)
    return bool(vals or kids)


def child_vals(sync, partner, values, groups, existing=True):
    """Contact persons and the postal address of a company, as [(child or None, vals)]."""
    out = []
    kids = partner.child_ids if existing else sync.env["res.partner"]
    if "identity" in groups and partner.is_company:
        people = []
        if values.get("first_name") or values.get("last_name"):
            people.append({"name": " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p),
                           "email": values.get("email")})
        for person in values.get("persons") or []:
            name = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
            if name:
                people.append({"name": name, "email": person.get("email")})
        for person in people:
            email = mapper.normalise_email(person["email"])
            same = kids.filtered(lambda c: c.name and (
                (email and mapper.normalise_email(c.email) == email) or c.name.casefold() == person["name"].casefold()))
            if not same:
                out.append((None, {"parent_id": partner.id, "type": "contact", "name": person["name"],
                                   "email": person["email"] or False}))
            elif person["email"] and not same[0].email:
                out.append((same[0], {"email": person["email"]}))
    if "addresses" in groups:
        postal, street = values.get("postal_address"), values.get("street_address")
        if postal and mapper.group_hashes({"street_address": postal}, ["addresses"]) != \
                mapper.group_hashes({"street_address": street}, ["addresses"]):
            vals = sync.writer.address_vals(postal)
            invoice = kids.filtered(lambda c: c.type == "invoice" and c.active)[:1]
            if invoice:
                vals = changed(invoice, vals)
                if vals:
                    out.append((invoice, vals))
            else:
                out.append((None, dict(vals, parent_id=partner.id, type="invoice")))
    return out


def write_children(sync, children):
    new = [vals for child, vals in children if child is None]
    for child, vals in children:
        if child is not None:
            child.with_env(sync.records.env).write(vals)
    if new:
        create.create_partners(sync.records, new)


def create_children(sync, created):
    """People and postal addresses of partners just made for contacts new to Odoo."""
    kids = []
    for partner, _contact, value in created:
        kids += child_vals(sync, partner, value, mapper.GROUPS, existing=False)
    write_children(sync, kids)
