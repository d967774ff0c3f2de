"""Checks 1 and 2: possible duplicate contacts in Xero, and customers sharing one Xero contact."""
from ...xero import duplicates, links as xero_links
from . import messages
from .findings import INFO, OPEN, WARNING, Finding

MAX_GROUPS = 100  # duplicate groups listed in one report; the rest are counted


def xero_duplicates(check, client):
    """Active contacts of the organisation that share a name, an e-mail or a tax number: read as
    summaries (no addresses, phones...), 1,000 a call, grouped as they come (``xero/duplicates``)."""
    finder = duplicates.DuplicateFinder()
    for contact in client.iter_records("Contacts", summary_only=True, page_size=1000):
        finder.add(contact)
    groups = finder.groups()
    env, connection = check.env, check.connection
    short_code = connection._xero_short_code()
    partners = _partners_of(check, [contact_id for group in groups[:MAX_GROUPS] for contact_id, _n in group.contacts])
    for group in groups[:MAX_GROUPS]:
        first_id = group.contacts[0][0]
        partner = next((partners[c.lower()] for c, _n in group.contacts if c and c.lower() in partners), None)
        check.add(Finding("duplicates", messages.duplicate_contacts(
            env, [name for _id, name in group.contacts], messages.reasons(env, group.reasons)),
            severity=WARNING, record=partner, url=xero_links.contact(short_code, first_id), fix=OPEN))
    if len(groups) > MAX_GROUPS:
        check.add(Finding("duplicates", messages.more_duplicates(env, len(groups) - MAX_GROUPS), severity=INFO))
    check.facts.append(messages.duplicates_fact(env, len(groups), len(finder)))


def _partners_of(check, contact_ids):
    """{lower-case ContactID: the customer linked to it} among ``contact_ids``."""
    if not contact_ids:
        return {}
    links = check.env["xero.partner.link"].sudo().search([
        ("connection_id", "=", check.connection.id), ("xero_contact_id", "in", contact_ids)])
    return {link.xero_contact_id.lower(): link.partner_id for link in links}


def shared_links(check):
    """Customers linked to the same Xero contact. Xero's ids compare in any case, the table's
    unique constraint does not: one group-by over the connection's links."""
    env, connection = check.env, check.connection
    links = env["xero.partner.link"].sudo()
    links.flush_model(["connection_id", "xero_contact_id", "partner_id"])
    env.cr.execute("""
        SELECT min(xero_contact_id), array_agg(id ORDER BY id) FROM xero_partner_link
         WHERE connection_id = %s AND xero_contact_id IS NOT NULL AND xero_contact_id != ''
         GROUP BY lower(xero_contact_id) HAVING count(*) > 1 ORDER BY min(id)
    """, (connection.id,))
    rows = env.cr.fetchall()
    short_code = connection._xero_short_code() if rows else None
    for contact_id, link_ids in rows:
        shared = links.browse(link_ids)
        partners = shared.partner_id
        check.add(Finding("shared_contact", messages.shared_contact(env, partners.mapped("display_name")),
                          record=partners[:1], domain=[("id", "in", partners.ids)],
                          url=xero_links.contact(short_code, contact_id), fix=OPEN))
    check.facts.append(messages.shared_fact(env, len(rows)))
