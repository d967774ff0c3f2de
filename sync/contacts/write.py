"""Xero's contacts written into Odoo: the groups a merge pulled, and partners for contacts new to
Odoo, with their people (contact persons) and postal address (an invoice address child).

Children are never deleted: a person removed in Xero stays in Odoo.
"""
from ...tools import bulk
from ...xero import dates
from ...xero.mappers import contact as mapper
from ..engine import messages as engine_messages
from ..engine.merge import changed, in_savepoints
from . import create


def create_partners(sync, vals_list):
    return create.create_partners(sync.records, vals_list)


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
        create_partners(sync, new)


def create_contacts(sync, contacts):
    """Partners, with their children and synced links, for contacts new to Odoo (one ``create``
    for the page; one by one if Odoo refuses one). Unknown archived contacts are not imported."""
    contacts = [c for c in contacts if c.get("ContactStatus") != "ARCHIVED"]
    if not contacts:
        return
    values = [mapper.from_xero(c) for c in contacts]
    vals_list = [sync.writer.new_partner_vals(v) for v in values]
    partners, failed = in_savepoints(sync.env.cr, vals_list, lambda all_vals: create_partners(sync, all_vals),
                                     lambda vals: sync.records.create(vals))
    if failed:
        kept = [i for i in range(len(contacts)) if i not in failed]
        for index, error in failed.items():
            sync.log.append({"direction": "in", "model": "res.partner", "xero_id": contacts[index]["ContactID"],
                             "record_name": contacts[index].get("Name"), "operation": "create", "result": "error",
                             "message": engine_messages.could_not_create(sync.env, contacts[index].get("Name"),
                                                                         error)})
        contacts, values = [contacts[i] for i in kept], [values[i] for i in kept]
    created = list(zip(partners, contacts, values))
    kids = []
    for partner, _contact, value in created:
        kids += child_vals(sync, partner, value, mapper.GROUPS, existing=False)
    write_children(sync, kids)
    odoo_values = sync.values(sync.env["res.partner"].browse([p.id for p, _c, _v in created]))
    links = bulk.insert(sync.links, [{
        "partner_id": partner.id, "connection_id": sync.connection.id, "company_id": sync.connection.company_id.id,
        "xero_contact_id": contact["ContactID"], "state": "synced", "last_sync": sync.now,
        "xero_updated": dates.updated(contact), "odoo_hashes": mapper.group_hashes(odoo_values[partner.id]),
        "xero_hashes": sync.xero_hashes(contact, value),
    } for partner, contact, value in created])
    for link, (partner, contact, _v) in zip(links, created):
        sync.log_row(link, "create", "success", direction="in", record=partner, xero_id=contact["ContactID"],
                     name=partner.name)
