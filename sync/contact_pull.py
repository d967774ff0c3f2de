"""Xero → Odoo: contacts changed since the connection's watermark, a page at a time.

Each page is matched to links (by ContactID, then by ContactNumber = our partner reference, then
against customers still waiting for their first push), merged group by group, and contacts Odoo
does not know yet become partners (one ``create`` per page). Archived contacts archive their
partner; unknown archived contacts are not imported. Outside tests each page is committed with
the watermark (the newest UpdatedDateUTC of the page), so a run that stops resumes where it was.
Pages are read oldest change first, each as page 1 of the contacts changed since the watermark
(the cursor), re-read with a second of overlap because a page may end in the middle of contacts
changed in the same second (re-reading one is harmless: its fingerprints match and nothing is
written).
"""
import logging
import threading
from datetime import timedelta

from ..xero.batch import chunks
from ..xero.errors import QuotaExhausted, XeroError
from ..xero.mappers import contact as mapper
from ..xero.matching import ContactIndex
from . import messages
from .contact_merge import TRANSIENT, ContactRun, xero_time
from .partner_values import partner_id_from_number

_logger = logging.getLogger(__name__)

PAGE = 1000
OVERLAP = timedelta(seconds=1)


def _commit(env):
    if not getattr(threading.current_thread(), "testing", False):
        env.cr.commit()


def pull(connection, max_pages=None, on_page=None):
    """Read the contacts changed since the watermark, at most ``max_pages`` pages (None: all).
    Returns (contacts read, 1 if pages were left for the next run else 0).

    The watermark is the cursor: each request asks for page 1 of the contacts changed since the
    last committed watermark (less the overlap). Asking for page 2, 3... of one fixed query would
    skip contacts: one changed meanwhile moves to the end and the others slide a place back.
    Only when a whole page is no newer than the cursor's second (more contacts changed in that
    second than a page holds) is the next page of the same query read."""
    run = PullRun(connection)
    connection = run.connection
    run.env["xero.partner.change"].sudo()._apply(connection)  # saved while a push held the links
    done = pages = more = 0
    try:
        with connection._xero_session() as client:
            cursor = connection.xero_contacts_pulled_at
            number = 1
            while True:
                records = client.iter_records(
                    "Contacts", modified_since=cursor - OVERLAP if cursor else None, include_archived=True,
                    order="UpdatedDateUTC ASC", page_size=PAGE, first_page=number)
                page = next(chunks(records, PAGE), [])
                records.close()  # the next page is asked with the new cursor, not by number
                if not page:
                    break
                pages += 1
                newest = run.page(page)
                newest = newest.replace(microsecond=0) if newest else None
                if newest and (not connection.xero_contacts_pulled_at or newest > connection.xero_contacts_pulled_at):
                    connection.xero_contacts_pulled_at = newest
                run.flush_log()
                run.env.flush_all()
                _commit(run.env)
                done += len(page)
                if on_page:
                    on_page(done)
                if len(page) < PAGE:
                    break
                if newest and (not cursor or newest > cursor):
                    cursor, number = newest, 1
                else:
                    number += 1  # the whole page is within the cursor's second: read on by number
                if max_pages and pages >= max_pages:
                    more = 1  # stop before asking for the next page: the next run goes on
                    break
    except QuotaExhausted as exc:
        _logger.info("Xero contacts: pull of connection %s paused by the quota: %s", connection.id, exc)
    except XeroError as exc:
        _logger.warning("Xero contacts: pull of connection %s stopped: %s", connection.id, exc)
    finally:
        run.flush_log()
    return done, more


class PullRun(ContactRun):
    def __init__(self, connection):
        super().__init__(connection)
        self._waiting = None
        self._matched = set()  # waiting links matched this run (the index is built once per run)

    def page(self, contacts):
        """Merge one page of contacts into Odoo; returns its newest UpdatedDateUTC."""
        Link = self.env["xero.partner.link"]
        ids = [c["ContactID"] for c in contacts]
        links = Link.search([("connection_id", "=", self.connection.id), ("xero_contact_id", "in", ids)])
        by_id = {link.xero_contact_id.lower(): link for link in links}
        pairs, unknown = [], []
        for contact in contacts:
            link = by_id.get(contact["ContactID"].lower())
            if not link:
                unknown.append(contact)
            elif not self._seen(link, contact):
                pairs.append((link, contact))
        adopted, unknown = self._ours(unknown)
        pairs += adopted
        matched, unknown = self._waiting_customers(unknown)
        pairs += matched
        self._merge_page(pairs)
        self._create(unknown)
        times = [t for t in map(xero_time, contacts) if t]
        return max(times) if times else None

    @staticmethod
    def _seen(link, contact):
        """Already in sync as Xero has it now (a re-read of the overlap, or a contact our own
        push just wrote): nothing to merge. Fingerprints, not UpdatedDateUTC, decide: Odoo keeps
        that time to the second only."""
        return (link.state == "synced" and link.xero_hashes
                and link.xero_hashes == mapper.group_hashes(mapper.from_xero(contact)))

    # -- contacts Odoo already has --------------------------------------------------------------
    def _ours(self, contacts):
        """Contacts whose ContactNumber is one of our partner references. A number is text anyone
        can type (or another database wrote), so it adopts only a commercial partner of no company
        or the connection's company that is already linked to this connection (linked to no
        contact yet, or to this one); other contacts stay unknown."""
        numbered = {}
        for contact in contacts:
            partner_id = partner_id_from_number(self.prefix, contact.get("ContactNumber"))
            if partner_id:
                numbered[partner_id] = contact
        if not numbered:
            return [], contacts
        company = self.connection.company_id
        links = self.env["xero.partner.link"].search([
            ("connection_id", "=", self.connection.id), ("partner_id", "in", list(numbered))])
        pairs, taken = [], set()
        for link in links:
            partner = link.partner_id
            contact = numbered[partner.id]
            if partner.commercial_partner_id != partner or partner.company_id not in (company, company.browse()):
                continue
            if link.xero_contact_id and link.xero_contact_id.lower() != contact["ContactID"].lower():
                continue  # that partner is linked to another contact: this one stays unknown
            if not link.xero_contact_id:
                link.write({"xero_contact_id": contact["ContactID"], "odoo_hashes": False, "xero_hashes": False})
            pairs.append((link, contact))
            taken.add(contact["ContactID"])
        return pairs, [c for c in contacts if c["ContactID"] not in taken]

    def _waiting_index(self):
        """Customers linked to no contact yet (waiting for their first push), as match candidates."""
        if self._waiting is None:
            self._waiting = ContactIndex()
            self.env.flush_all()
            self.env.cr.execute("""
                SELECT l.id, p.name, p.email, p.vat FROM xero_partner_link l JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.connection_id = %s AND l.xero_contact_id IS NULL AND l.needs_review IS NOT TRUE
                   AND l.create_new IS NOT TRUE""", (self.connection.id,))
            for link_id, name, email, vat in self.env.cr.fetchall():
                self._waiting.add({"ContactID": link_id, "Name": name, "EmailAddress": email, "TaxNumber": vat})
        return self._waiting

    def _waiting_customers(self, contacts):
        """A contact Xero had before we pushed the customer: sure → link, doubtful → a person
        reviews it on the customer's link and no partner is created meanwhile. A customer
        already matched earlier in the run (on this page or an earlier one) is not moved: a
        second contact that matches it is doubtful."""
        if not contacts:
            return [], contacts
        index = self._waiting_index()
        if not index.size:
            return [], contacts
        Link = self.env["xero.partner.link"]
        pairs, rest, used = [], [], self._matched
        for contact in contacts:
            values = {"tax_number": contact.get("TaxNumber"), "email": contact.get("EmailAddress"),
                      "name": contact.get("Name")}
            found = index.match(values) if contact.get("ContactStatus") != "ARCHIVED" else None
            if found and found.sure and found.sure[0].contact_id not in used:
                link = Link.browse(found.sure[0].contact_id)
                used.add(link.id)
                link.write({"xero_contact_id": contact["ContactID"], "odoo_hashes": False, "xero_hashes": False})
                pairs.append((link, contact))
            elif found and (found.doubtful or found.sure):
                candidate = ContactIndex().add(contact)
                rules = (found.doubtful or [(found.sure[0], [found.sure[1]])])
                for waiting, why in rules:
                    link = Link.browse(waiting.contact_id)
                    self._propose(link, candidate, why)
            else:
                rest.append(contact)
        return pairs, rest

    def _propose(self, link, candidate, rules):
        env = self.env
        values = {"name": link.partner_id.name}
        if candidate.contact_id not in link.match_ids.mapped("xero_contact_id"):
            env["xero.contact.match"].create({
                "link_id": link.id, "sequence": len(link.match_ids), "xero_contact_id": candidate.contact_id,
                "xero_name": candidate.name, "xero_email": candidate.email, "xero_number": candidate.number,
                "xero_tax_number": candidate.tax_number, "rules": ",".join(rules),
                "evidence": messages.evidence_text(env, rules, candidate, values)})
        message = messages.needs_review(env, link.partner_id.display_name, len(link.match_ids))
        link.write({"state": "error", "needs_review": True, "error": message})

    def _merge_page(self, pairs):
        if not pairs:
            return
        before = {link.id: link.partner_id.write_date for link, _c in pairs}
        to_push = self.merge(pairs)
        for link, contact in pairs:
            groups = to_push.get(link.id)
            if groups is None:
                continue  # Odoo refused Xero's values: the link says why
            if groups:
                link.write({"state": "pending", "error": False})
            elif link.state in ("pending", "not_synced", "synced"):
                link.write({"state": "synced", "error": False, "last_sync": self.now})
            if link.partner_id.write_date != before[link.id]:
                self.log_row(link, "update", "success", direction="in", xero_id=contact["ContactID"])
        if any(to_push.values()):
            self.env["xero.partner.link"]._trigger_push()

    # -- contacts new to Odoo -------------------------------------------------------------------
    def _create(self, contacts):
        contacts = [c for c in contacts if c.get("ContactStatus") != "ARCHIVED"]
        if not contacts:
            return
        values = [mapper.from_xero(c) for c in contacts]
        vals_list = [self.writer.new_partner_vals(v) for v in values]
        try:
            with self.env.cr.savepoint():
                partners = self.create_partners(vals_list)
                created = list(zip(partners, contacts, values))
        except TRANSIENT:
            raise  # the transaction is retried: the watermark does not pass these contacts
        except Exception:  # noqa: BLE001 - retried one by one so one bad contact blocks no other
            created = []
            for vals, contact, value in zip(vals_list, contacts, values):
                try:
                    with self.env.cr.savepoint():
                        created.append((self.partners.create(vals), contact, value))
                except TRANSIENT:
                    raise
                except Exception as exc:  # noqa: BLE001 - logged, retried when it changes in Xero
                    self.log.append({"direction": "in", "model": "res.partner", "xero_id": contact["ContactID"],
                                     "record_name": contact.get("Name"), "operation": "create", "result": "error",
                                     "message": self.env._("Xero contact %(name)s could not be created in Odoo: "
                                                           "%(error)s", name=contact.get("Name"), error=exc)})
        kids = []
        for partner, _contact, value in created:
            kids += self.child_vals(partner, value, mapper.GROUPS, existing=False)
        self.write_children(kids)
        partners = self.env["res.partner"].browse([p.id for p, _c, _v in created])
        odoo_values = self.values(partners)
        links = self.env["xero.partner.link"].create([{
            "partner_id": partner.id, "connection_id": self.connection.id, "xero_contact_id": contact["ContactID"],
            "state": "synced", "last_sync": self.now, "xero_updated": xero_time(contact),
            "odoo_hashes": mapper.group_hashes(odoo_values[partner.id]),
            "xero_hashes": mapper.group_hashes(value),
        } for partner, contact, value in created])
        for link, (partner, contact, _v) in zip(links, created):
            self.log_row(link, "create", "success", direction="in", partner=partner, xero_id=contact["ContactID"])
