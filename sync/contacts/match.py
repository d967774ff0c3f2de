"""Is this customer in Xero already? Asked before a first push, and by the pull of a contact
Odoo does not know.

Push: the Xero contacts that could match are read in whichever way costs fewer calls: one
``where`` query per few partners (number, tax number, e-mail, a word of the name), or one pass
over every contact of the organisation (1,000 a page) when many partners are new at once. Either
way they go into a ``xero.matching.ContactIndex`` (a few keys per contact), contacts already linked
to another partner left out. Sure matches are linked; doubtful ones become ``xero.contact.match``
proposals and the link waits for a person (``needs_review``).

Pull: a contact Xero had before the customer was pushed is matched against the customers still
waiting for their first push, the same way the other way round.
"""
import math
import re

from ...xero import where
from ...xero.batch import chunks
from ...xero.mappers.contact import LEGAL_SUFFIXES
from ...xero.matching import ContactIndex
from . import messages

PAGE = 1000
WHERE_BATCH = 8  # partners per where query (estimate of the calls that strategy costs)


def _name_word(name):
    words = [w for w in re.split(r"[\W_]+", (name or "").casefold()) if w and w not in LEGAL_SUFFIXES]
    return max(words, key=len) if words else None


def where_clause(values):
    """Xero ``where`` finding the contacts that could match one partner."""
    clauses = []
    if values.get("number"):
        clauses.append(where.equals("ContactNumber", values["number"]))
    if values.get("tax_number"):
        clauses.append(where.equals("TaxNumber", values["tax_number"]))
    if values.get("email"):
        clauses.append(where.equals_lower("EmailAddress", values["email"]))
    word = _name_word(values.get("name"))
    if word:
        clauses.append(where.contains_lower("Name", word))
    return " OR ".join("(%s)" % c for c in clauses)


def read_strategy(sync, count):
    """'scan' or 'where', by the calls each would cost."""
    known = sync.links.search_count([("connection_id", "=", sync.connection.id), ("xero_contact_id", "!=", False)])
    scan_calls = known // PAGE + 1  # every contact read or written so far has a link
    where_calls = math.ceil(count / WHERE_BATCH)
    return "scan" if scan_calls <= where_calls else "where"


def _fill(sync, index, contacts):
    for page in chunks(contacts, PAGE):
        taken = sync.links._xero_ids_linked(sync.connection, [c["ContactID"] for c in page])
        for contact in page:
            if contact["ContactID"] not in taken:
                index.add(contact)


def build_index(sync, client, values_list):
    index = ContactIndex()
    if read_strategy(sync, len(values_list)) == "scan":
        _fill(sync, index, client.iter_records("Contacts", include_archived=True, page_size=PAGE))
    else:
        for clause in where.any_of(map(where_clause, values_list), per_filter=WHERE_BATCH):
            _fill(sync, index, client.iter_records("Contacts", where=clause, include_archived=True))
    return index


def propose(sync, link, candidates, values, message):
    """Record doubtful candidates [(Candidate, rules)] on the link and park it for review."""
    env = sync.env
    link.match_ids.unlink()
    env["xero.contact.match"].create([{
        "link_id": link.id, "sequence": i, "xero_contact_id": c.contact_id, "xero_name": c.name,
        "xero_email": c.email, "xero_number": c.number, "xero_tax_number": c.tax_number,
        "rules": ",".join(rules), "evidence": messages.evidence_text(env, rules, c, values),
    } for i, (c, rules) in enumerate(candidates)])
    link.mark_review(message)
    sync.log_row(link, "match", "skipped", message)


def match_links(sync, client, links, values):
    """Match unlinked ``links``; returns the links now linked to an existing contact (sure), and
    the index of the contacts read (for a refusal later in the run)."""
    index = build_index(sync, client, [values[link.partner_id.id] for link in links])
    adopted = sync.links
    taken = set()
    for link in links:
        partner_values = values[link.partner_id.id]
        found = index.match(partner_values)
        if found.sure and found.sure[0].contact_id in taken:
            # Two partners of this batch are surely the same contact: a person decides.
            found.doubtful.insert(0, (found.sure[0], [found.sure[1]]))
            found.sure = None
        if found.sure:
            candidate, rule = found.sure
            taken.add(candidate.contact_id)
            link.bind(candidate.contact_id)
            sync.log_row(link, "match " + rule, "success")
            adopted |= link
        elif found.doubtful:
            propose(sync, link, found.doubtful, partner_values,
                    messages.needs_review(sync.env, link.partner_id.display_name, len(found.doubtful)))
    return adopted, index


def holder_of_name(client, name):
    """The active Xero contact that holds ``name`` (Xero compares names case-insensitively)."""
    clause = 'ContactStatus=="ACTIVE" AND ' + where.equals_lower("Name", name or "", nullable=False)
    return next(iter(client.iter_records("Contacts", where=clause)), None)


def holder_of_number(client, number):
    return next(iter(client.iter_records("Contacts", where=where.equals("ContactNumber", number),
                                         include_archived=True)), None)


# -- the pull: customers waiting for their first push -------------------------------------------
class WaitingCustomers:
    """Customers linked to no contact yet, as match candidates of the contacts a pull reads. Built
    once per run; a customer matched on one page is not moved by a later one."""

    def __init__(self, sync):
        self.sync = sync
        self.index = ContactIndex()
        self.matched = set()
        sync.env.flush_all()
        sync.env.cr.execute("""
            SELECT l.id, p.name, p.email, p.vat FROM xero_partner_link l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.connection_id = %s AND l.xero_contact_id IS NULL AND l.needs_review IS NOT TRUE
               AND l.create_new IS NOT TRUE""", (sync.connection.id,))
        for link_id, name, email, vat in sync.env.cr.fetchall():
            self.index.add({"ContactID": link_id, "Name": name, "EmailAddress": email, "TaxNumber": vat})

    def match(self, contacts):
        """A contact Xero had before we pushed the customer: sure → link, doubtful → a person
        reviews it on the customer's link and no partner is created meanwhile. A customer
        already matched earlier in the run is not moved: a second contact that matches it is
        doubtful. Returns ([(link, contact)], contacts matching no customer)."""
        if not contacts or not self.index.size:
            return [], contacts
        Link = self.sync.links
        pairs, rest = [], []
        for contact in contacts:
            values = {"tax_number": contact.get("TaxNumber"), "email": contact.get("EmailAddress"),
                      "name": contact.get("Name")}
            found = self.index.match(values) if contact.get("ContactStatus") != "ARCHIVED" else None
            if found and found.sure and found.sure[0].contact_id not in self.matched:
                link = Link.browse(found.sure[0].contact_id)
                self.matched.add(link.id)
                link.bind(contact["ContactID"])
                pairs.append((link, contact))
            elif found and (found.doubtful or found.sure):
                candidate = ContactIndex().add(contact)
                for waiting, why in (found.doubtful or [(found.sure[0], [found.sure[1]])]):
                    self._propose(Link.browse(waiting.contact_id), candidate, why)
            else:
                rest.append(contact)
        return pairs, rest

    def _propose(self, link, candidate, rules):
        env = self.sync.env
        if candidate.contact_id not in link.match_ids.mapped("xero_contact_id"):
            env["xero.contact.match"].create({
                "link_id": link.id, "sequence": len(link.match_ids), "xero_contact_id": candidate.contact_id,
                "xero_name": candidate.name, "xero_email": candidate.email, "xero_number": candidate.number,
                "xero_tax_number": candidate.tax_number, "rules": ",".join(rules),
                "evidence": messages.evidence_text(env, rules, candidate, {"name": link.partner_id.name})})
        link.mark_review(messages.needs_review(env, link.partner_id.display_name, len(link.match_ids)))
