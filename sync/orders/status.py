"""The steps of a Xero document's life that are not a change of its content: approve (and
e-mail it to the customer), void, delete. Each is one write for up to 50 documents, sent at
once because a person clicked and waits; the answer moves the links' facts (the people told
are ``notify``'s). Xero's rules decide what may move where (``xero.mappers.document``)."""
from ...xero.batch import WriteItem
from ...xero.errors import XeroError
from ..engine import registry
from ..engine.push import version
from . import messages


def set_status(links, status):
    """Move the Xero documents of ``links`` (one object, any connections) to ``status``.
    Returns {link: None when done, else the readable reason}."""
    outcome = {}
    links = links.sudo().filtered(lambda link: link._xero_id())
    for connection, group in links.grouped("connection_id").items():
        sync = registry.get(group._xero_object)(connection)
        id_field = sync.id_field
        items = []
        # A quote written without its header loses it (Xero clears what a quote update leaves
        # out): the whole quote goes, with its new status. An invoice takes the status alone.
        full = {}
        if sync.kind == "Quotes":
            sync.start(None)  # Xero's settings as kept
            full = sync.values(group.mapped(group._xero_record_field))
        for link in group:
            payload = {id_field: link._xero_id(), "Status": status}
            if full:
                payload = sync.mapper.to_xero(dict(full[link._record().id], status=status, xero_id=link._xero_id()),
                                              groups={"document"}, create=False)
            items.append(WriteItem(link.id, payload, version(payload, str(link.xero_updated or ""))))
        by_id = {link.id: link for link in group}
        try:
            with connection._xero_session(interactive=True) as client:
                for result in client.iter_save(sync.kind, items):
                    link = by_id[result.ref]
                    if result.ok:
                        link.write(sync.link_values(result.data))
                        sync.log_row(link, status.lower(), "success", xero_id=result.xero_id)
                        outcome[link] = None
                    else:
                        reason = sync.refusal_message(link._record(), result.errors)
                        sync.log_row(link, status.lower(), "error", reason)
                        outcome[link] = reason
        except XeroError as exc:
            reason = str(exc)
            for link in group:
                outcome.setdefault(link, reason)
        finally:
            sync.flush_log()
    return outcome


def email(links, send_email):
    """After approval: the online invoice address (where the customer pays) kept on each link,
    and, if ``send_email``, the invoice e-mailed by Xero once (the link remembers it, and a retry
    of the same e-mail reuses its Idempotency-Key). Returns readable problems: an invoice Xero
    would not e-mail (no address...) stays approved."""
    problems = []
    for connection, group in links.sudo().grouped("connection_id").items():
        with connection._xero_session(interactive=True) as client:
            for link in group:
                try:
                    if send_email and not link.xero_emailed:
                        client.email_invoice(link.xero_invoice_id, idempotency_key="xe-" + link.xero_invoice_id)
                        link.write({"xero_emailed": True, "xero_sent_to_contact": True})
                    if not link.xero_online_url:
                        link.xero_online_url = client.online_invoice_url(link.xero_invoice_id) or False
                except XeroError as exc:
                    problems.append(messages.email_refused(link.env, link.order_id.display_name, str(exc)))
    return problems
