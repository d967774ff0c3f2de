"""Customers ⇄ Xero contacts, on the engine.

Which partners: the commercial entities with a confirmed sale order or "Sync to Xero" ticked
(``res.partner`` makes their links); the field map is ``values``, Xero's JSON ``xero.mappers.contact``.
What only contacts need: matching a customer Xero may already have (``match``), an update that
keeps what Xero has and Odoo cannot hold, a contact merged into another in Xero, a name or number
Xero refuses because another contact holds it, and partners with their people for contacts
new to Odoo (``write``).
"""
from ...xero import refusals
from ...xero.mappers import contact as mapper
from ..engine.registry import register
from ..engine.sync_type import SyncType
from ..mapping import Mapping
from . import create, match, messages, values as partner_values, write


@register
class ContactSync(SyncType):
    name = "contacts"
    label = "Customers"
    sequence = 10
    link_model = "xero.partner.link"
    record_model = "res.partner"
    kind = "Contacts"
    webhook_category = "CONTACT"
    mapper = mapper
    conflict_param = "xero_connector.conflict_%s"
    configurable_groups = ("identity", "addresses", "phones", "terms")
    read_options = {"include_archived": True}

    def __init__(self, connection):
        super().__init__(connection)
        self.prefix = partner_values.number_prefix(self.env)
        self._writer = self._waiting = self._index = self._mapping = None

    @property
    def writer(self):
        if self._writer is None:
            self._writer = partner_values.PartnerWriter(self.env, self.connection, self.mapping)
        return self._writer

    # -- which records, and their values ----------------------------------------------------------
    def link_existing(self):
        """Customers that existed before the connection: ticked partners, and partners with a
        confirmed order in its company."""
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT DISTINCT p.commercial_partner_id FROM res_partner p
             WHERE p.xero_sync AND p.commercial_partner_id IS NOT NULL
            UNION
            SELECT DISTINCT p.commercial_partner_id FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %s AND p.commercial_partner_id IS NOT NULL
        """, (self.connection.company_id.id,))
        partners = self.env["res.partner"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        self.links._ensure_links(partners.filtered("active"), self.connection)

    @property
    def mapping(self):
        if self._mapping is None:
            self._mapping = Mapping(self.connection)
        return self._mapping

    def values(self, records):
        return partner_values.contact_values(records, self.connection, self.prefix, self.mapping)

    def link_values(self, contact):
        return {"xero_archived": contact.get("ContactStatus") == "ARCHIVED"}

    # -- push ---------------------------------------------------------------------------------------
    def match(self, client, links, values):
        links.match_ids.unlink()  # proposals of an earlier run are made again if still true
        adopted, self._index = match.match_links(self, client, links, values)
        return adopted

    def follow(self, link, contact):
        if contact is not None and contact.get("MergedToContactID"):
            # Merged in Xero into another contact: follow it and push to that one next run,
            # unless another partner already has it (then the two partners are one customer).
            target = contact["MergedToContactID"]
            if self.links._xero_ids_linked(self.connection, [target]):
                contact = None
            else:
                link.write({"xero_contact_id": target, "xero_hashes": False})
                return None
        if contact is None:
            message = messages.contact_gone(self.env, link.partner_id.display_name, link.xero_contact_id)
            link.mark_review(message)
            link.xero_contact_id = False
            self.log_row(link, "read", "error", message)
        return contact

    def payload(self, link, values, groups, current):
        contact = super().payload(link, values, groups, current)
        if current:
            self._keep_what_odoo_cannot_hold(contact, current)
        return contact

    def _keep_what_odoo_cannot_hold(self, payload, contact):
        """An update sends a field group whole; what Xero has there and Odoo cannot store would be
        erased: people without a name (the pull creates no partner for them), "include in emails"
        flags (Odoo has no such field), a region or country Odoo could not map."""
        if "ContactPersons" in payload:
            theirs = contact.get("ContactPersons") or []
            ours = payload["ContactPersons"]
            for person in ours:
                email, name = _person_key(person)
                same = next((p for p in theirs if (email and _person_key(p)[0] == email)
                             or (name and _person_key(p)[1] == name)), None)
                if same is not None:
                    person["IncludeInEmails"] = bool(same.get("IncludeInEmails"))
            sent = {_person_key(p)[0] for p in ours}
            for person in theirs:
                email = _person_key(person)[0]
                if not (person.get("FirstName") or person.get("LastName")) and email and email not in sent \
                        and len(ours) < mapper.MAX_PERSONS:
                    ours.append({"EmailAddress": person["EmailAddress"],
                                 "IncludeInEmails": bool(person.get("IncludeInEmails"))})
                    sent.add(email)
        if "Addresses" in payload:
            theirs = {a.get("AddressType"): a for a in contact.get("Addresses") or []}
            for address in payload["Addresses"]:
                known = theirs.get(address["AddressType"]) or {}
                country = self.writer.country(known.get("Country")) if known.get("Country") else None
                if not address.get("Country") and known.get("Country") and not country:
                    address["Country"] = known["Country"]
                same_country = address.get("Country") == known.get("Country") or (
                    country and self.writer.country(address.get("Country")) == country)
                if not address.get("Region") and known.get("Region") and same_country and not (
                        country and self.writer.state(country, known["Region"])):
                    address["Region"] = known["Region"]

    def recover(self, client, link, values, result):
        reasons = refusals.reasons(result.errors)
        if refusals.CONTACT_NUMBER_TAKEN in reasons and values.get("number"):
            holder = match.holder_of_number(client, values["number"])
            if holder and not self.links._xero_ids_linked(self.connection, [holder["ContactID"]]):
                # Ours already (a lost answer, a restored database): link it and update it next run.
                link.bind(holder["ContactID"])
                link.mark_pending()
                self.log_row(link, "match number", "success", xero_id=holder["ContactID"])
                return True
        if refusals.CONTACT_NAME_TAKEN in reasons:
            holder = match.holder_of_name(client, values.get("name"))
            if holder:
                candidate = (self._index or match.ContactIndex()).add(holder)
                match.propose(self, link, [(candidate, ["name_taken"])], values,
                              messages.name_taken(self.env, link.partner_id.display_name, holder.get("Name")))
                return True
        return False

    def field_label(self, field):
        return messages.field_label(self.env, field)

    def refusal_message(self, record, errors):
        return messages.refused(self.env, record.display_name, errors)

    # -- pull ---------------------------------------------------------------------------------------
    def adopt(self, contacts):
        pairs, contacts = self._ours(contacts)
        if self._waiting is None:
            self._waiting = match.WaitingCustomers(self)
        matched, contacts = self._waiting.match(contacts)
        return pairs + matched, contacts

    def _ours(self, contacts):
        """Contacts whose ContactNumber is one of our partner references. A number is text anyone
        can type (or another database wrote), so it adopts only a commercial partner of no company
        or the connection's company that is already linked to this connection (linked to no
        contact yet, or to this one); other contacts stay unknown."""
        numbered = {}
        for contact in contacts:
            partner_id = partner_values.partner_id_from_number(self.prefix, contact.get("ContactNumber"))
            if partner_id:
                numbered[partner_id] = contact
        if not numbered:
            return [], contacts
        company = self.connection.company_id
        links = self.links.search([("connection_id", "=", self.connection.id), ("partner_id", "in", list(numbered))])
        pairs, taken = [], set()
        for link in links:
            partner = link.partner_id
            contact = numbered[partner.id]
            if partner.commercial_partner_id != partner or partner.company_id not in (company, company.browse()):
                continue
            if link.xero_contact_id and link.xero_contact_id.lower() != contact["ContactID"].lower():
                continue  # that partner is linked to another contact: this one stays unknown
            if not link.xero_contact_id:
                link.bind(contact["ContactID"])
            pairs.append((link, contact))
            taken.add(contact["ContactID"])
        return pairs, [c for c in contacts if c["ContactID"] not in taken]

    def write_values(self, record, values, groups):
        return write.write_groups(self, record, values, groups)

    def new_record_vals(self, values):
        return self.writer.new_partner_vals(values)

    def create_all(self, vals_list):
        return create.create_partners(self.records, vals_list)

    def after_create(self, created):
        write.create_children(self, created)


def _person_key(person):
    email = mapper.normalise_email(person.get("EmailAddress"))
    name = " ".join(p for p in (person.get("FirstName"), person.get("LastName")) if p).casefold()
    return email, name
