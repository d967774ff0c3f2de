"""Before a customer is first created in Xero: is it there already?

The Xero contacts that could match are read in whichever way costs fewer calls: one ``where``
query per few partners (number, tax number, e-mail, a word of the name), or one pass over every
contact of the organisation (1,000 a page) when many partners are new at once. Either way they go
into a ``xero.matching.ContactIndex`` (a few keys per contact), contacts already linked to another
partner left out. Sure matches are linked; doubtful ones become ``xero.contact.match`` proposals
and the link waits for a person (``needs_review``).
"""
import math
import re

from ..xero.batch import chunks
from ..xero.mappers.contact import LEGAL_SUFFIXES
from ..xero.matching import ContactIndex
from . import messages

PAGE = 1000
WHERE_BATCH = 8  # partners per where query (estimate of the calls that strategy costs)
WHERE_MAX = 2000  # characters of one where clause: the URL must stay well under 8 KB


def _quote(text):
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"')


def _name_word(name):
    words = [w for w in re.split(r"[\W_]+", (name or "").casefold()) if w and w not in LEGAL_SUFFIXES]
    return max(words, key=len) if words else None


def where_clause(values):
    """Xero ``where`` finding the contacts that could match one partner."""
    clauses = []
    if values.get("number"):
        clauses.append("ContactNumber==%s" % _quote(values["number"]))
    if values.get("tax_number"):
        clauses.append("TaxNumber==%s" % _quote(values["tax_number"]))
    if values.get("email"):
        # Xero evaluates the filter as .NET does: a method on a missing e-mail would fail.
        clauses.append("EmailAddress!=null AND EmailAddress.ToLower()==%s"
                       % _quote(values["email"].strip().casefold()))
    word = _name_word(values.get("name"))
    if word:
        clauses.append("Name.ToLower().Contains(%s)" % _quote(word))
    return " OR ".join("(%s)" % c for c in clauses)


def linked_elsewhere(run, contact_ids):
    """ContactIDs of this organisation already linked to a partner."""
    if not contact_ids:
        return set()
    run.env["xero.partner.link"].flush_model(["xero_contact_id", "connection_id"])
    run.env.cr.execute("SELECT xero_contact_id FROM xero_partner_link WHERE connection_id = %s "
                       "AND xero_contact_id IN %s", (run.connection.id, tuple(contact_ids)))
    return {row[0] for row in run.env.cr.fetchall()}


def _fill(run, index, contacts):
    for page in chunks(contacts, PAGE):
        taken = linked_elsewhere(run, [c["ContactID"] for c in page])
        for contact in page:
            if contact["ContactID"] not in taken:
                index.add(contact)


def read_strategy(run, count):
    """'scan' or 'where', by the calls each would cost."""
    run.env.cr.execute("SELECT count(*) FROM xero_partner_link WHERE connection_id = %s "
                       "AND xero_contact_id IS NOT NULL", (run.connection.id,))
    known = run.env.cr.fetchone()[0]  # every contact read or written so far has a link
    scan_calls = known // PAGE + 1
    where_calls = math.ceil(count / WHERE_BATCH)
    return "scan" if scan_calls <= where_calls else "where"


def build_index(run, client, values_list):
    index = ContactIndex()
    if read_strategy(run, len(values_list)) == "scan":
        _fill(run, index, client.iter_records("Contacts", include_archived=True, page_size=PAGE))
    else:
        for where in _where_batches(values_list):
            _fill(run, index, client.iter_records("Contacts", where=where, include_archived=True))
    return index


def _where_batches(values_list):
    """OR-ed clauses of up to WHERE_BATCH partners and WHERE_MAX characters."""
    batch = []
    for clause in filter(None, map(where_clause, values_list)):
        if batch and (len(batch) == WHERE_BATCH or sum(len(c) + 6 for c in batch) + len(clause) > WHERE_MAX):
            yield " OR ".join(batch)
            batch = []
        batch.append(clause)
    if batch:
        yield " OR ".join(batch)


def propose(run, link, candidates, values, message):
    """Record doubtful candidates [(Candidate, rules)] on the link and park it for review."""
    env = run.env
    link.match_ids.unlink()
    env["xero.contact.match"].create([{
        "link_id": link.id, "sequence": i, "xero_contact_id": c.contact_id, "xero_name": c.name,
        "xero_email": c.email, "xero_number": c.number, "xero_tax_number": c.tax_number,
        "rules": ",".join(rules), "evidence": messages.evidence_text(env, rules, c, values),
    } for i, (c, rules) in enumerate(candidates)])
    link.write({"state": "error", "needs_review": True, "error": message})
    run.log_row(link, "match", "skipped", message)


def match_links(run, client, links, values):
    """Match unlinked ``links``; returns the links now linked to an existing contact (sure)."""
    index = build_index(run, client, [values[link.partner_id.id] for link in links])
    adopted = run.env["xero.partner.link"]
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
            # Linked as if never exchanged: the conflict rule settles each group on first contact.
            link.write({"xero_contact_id": candidate.contact_id, "odoo_hashes": False, "xero_hashes": False})
            run.log_row(link, "match " + rule, "success")
            adopted |= link
        elif found.doubtful:
            propose(run, link, found.doubtful, partner_values,
                    messages.needs_review(run.env, link.partner_id.display_name, len(found.doubtful)))
    return adopted, index


def holder_of_name(client, name):
    """The active Xero contact that holds ``name`` (Xero compares names case-insensitively)."""
    where = 'ContactStatus=="ACTIVE" AND Name.ToLower()==%s' % _quote((name or "").strip().casefold())
    return next(iter(client.iter_records("Contacts", where=where)), None)


def holder_of_number(client, number):
    return next(iter(client.iter_records("Contacts", where="ContactNumber==%s" % _quote(number),
                                         include_archived=True)), None)
