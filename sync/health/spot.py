"""Check 3: a random sample of sent invoices and of linked customers, compared with Xero.

Invoices: what the order's link knows of its invoice (the total, the tax and the status Xero
answered last) and the customer the order is for, against the invoice as Xero has it now.
Customers: the engine's fingerprints of each field group, Odoo's values and Xero's contact; a
group where they differ is a drift when a side moved since the last exchange without the sync
settling it (a group that differs by design, such as a field Xero does not take, stays as it was
exchanged and is no drift). Records are read by their ids, 50 a call.
"""
from ...xero import links as xero_links
from ..engine import registry
from ..orders import values as order_values
from ..orders.documents import MAX_ROUNDING
from . import messages
from .findings import REFRESH, RESYNC, Finding

def _sample(check, table, id_column, extra=""):
    """Ids of up to ``check.sample`` random synced links of the connection that have a Xero record
    (``extra``: a further condition; voided and deleted invoices are replaced, not compared)."""
    if not check.sample:
        return []
    check.env.flush_all()
    check.env.cr.execute("""
        SELECT id FROM {table}
         WHERE connection_id = %s AND state = 'synced' AND {column} IS NOT NULL AND {column} != '' {extra}
         ORDER BY random() LIMIT %s
    """.format(table=table, column=id_column, extra=extra), (check.connection.id, check.sample))
    return [row[0] for row in check.env.cr.fetchall()]


def _read(client, kind, id_field, xero_ids, **options):
    """{lower-case id: record} of these records as Xero has them now (one call per 50 ids)."""
    return {record[id_field].lower(): record
            for record in client.iter_records(kind, ids=xero_ids, **options) if record.get(id_field)}


# -- invoices -------------------------------------------------------------------------------------

def orders(check, client):
    env = check.env
    links = env["xero.order.link"].sudo().browse(_sample(
        check, "xero_order_link", "xero_invoice_id",
        "AND (xero_status IS NULL OR xero_status NOT IN ('VOIDED', 'DELETED'))"))
    if not links:
        return
    found = _read(client, "Invoices", "InvoiceID", links.mapped("xero_invoice_id"))
    customers = _customer_contacts(check, links.order_id)
    statuses = dict(links._fields["xero_status"]._description_selection(env))
    short_code = check.connection._xero_short_code()
    editable = registry.get("invoices").mapper.editable
    for link in links:
        order = link.order_id
        invoice = found.get(link.xero_invoice_id.lower())
        if invoice is None:
            _drift(check, messages.invoice_missing(env, order.display_name), order, link, RESYNC)
            continue
        differences, content = _invoice_differences(env, link, invoice, customers.get(order.id), statuses)
        if differences:
            # Content Xero still lets change goes back as Odoo has it; Xero's own facts (its status,
            # the amounts of an approved invoice) are read again.
            fix = RESYNC if content and invoice.get("Status") in editable else REFRESH
            _drift(check, messages.invoice_differs(env, order.display_name, invoice.get("InvoiceNumber"), differences),
                   order, link, fix, xero_links.invoice(short_code, invoice["InvoiceID"]))
    check.spot["invoices"] = len(links)


def _customer_contacts(check, orders_):
    """{order id: (its customer, the ContactID the customer is linked to)}."""
    partner_links = check.env["xero.partner.link"]._links_of(orders_.mapped(order_values.customer), check.connection)
    by_partner = {link.partner_id.id: link.xero_contact_id for link in partner_links}
    out = {}
    for order in orders_:
        customer = order_values.customer(order)
        out[order.id] = (customer, by_partner.get(customer.id))
    return out


def _invoice_differences(env, link, invoice, customer, statuses):
    """([(what, Xero's, Odoo's)], whether the document's content differs)."""
    differences, content = [], False
    partner, contact_id = customer or (link.order_id.partner_id, None)
    xero_contact = invoice.get("Contact") or {}
    if contact_id and (xero_contact.get("ContactID") or "").lower() != contact_id.lower():
        differences.append((messages.what_customer(env), xero_contact.get("Name") or "?", partner.display_name))
        content = True
    currency = link.currency_id
    for what, key, known in ((messages.what_total(env), "Total", link.xero_total),
                             (messages.what_tax(env), "TotalTax", link.xero_total_tax)):
        value = float(invoice.get(key) or 0.0)
        if round(value - (known or 0.0), 2):
            differences.append((what, messages.amount(env, value, currency), messages.amount(env, known, currency)))
            content = True
    # And Xero's total against the order's now: an order changed since it was sent, and not sent
    # again (a few cents are Xero's rounding of tax per line, shown on the order itself).
    total, order = float(invoice.get("Total") or 0.0), link.order_id
    if abs(total - order.amount_total) > float(MAX_ROUNDING):
        differences.append((messages.what_order_total(env), messages.amount(env, total, currency),
                            messages.amount(env, order.amount_total, currency)))
        content = True
    status = invoice.get("Status")
    if link.xero_status and status != link.xero_status:
        differences.append((messages.what_status(env), statuses.get(status, status), statuses.get(link.xero_status)))
    return differences, content


# -- customers ------------------------------------------------------------------------------------

def partners(check, client):
    env = check.env
    links = env["xero.partner.link"].sudo().browse(_sample(check, "xero_partner_link", "xero_contact_id"))
    if not links:
        return
    sync = registry.get("contacts")(check.connection)
    found = _read(client, sync.kind, sync.id_field, links.mapped("xero_contact_id"), **sync.read_options)
    values = sync.values(links.partner_id)
    mapper = sync.mapper
    short_code = check.connection._xero_short_code()
    for link in links:
        partner = link.partner_id
        contact = found.get(link.xero_contact_id.lower())
        if contact is None:
            _drift(check, messages.contact_missing(env, partner.display_name), partner, link, RESYNC)
            continue
        url = xero_links.contact(short_code, contact["ContactID"])
        if contact.get("MergedToContactID"):
            # The push follows a merge (``ContactSync.follow``): a Resync moves the link.
            _drift(check, messages.contact_merged(env, partner.display_name), partner, link, RESYNC, url)
            continue
        odoo, xero = mapper.group_hashes(values[partner.id]), sync.xero_hashes(contact)
        base_odoo, base_xero = link.odoo_hashes or {}, link.xero_hashes or {}
        groups = [group for group in mapper.GROUPS if odoo[group] != xero[group]
                  and (odoo[group] != base_odoo.get(group) or xero[group] != base_xero.get(group))]
        if groups:
            # Xero moved: read it again and the engine's conflict rules settle it; else Odoo's
            # change was missed: send it.
            moved_in_xero = any(xero[group] != base_xero.get(group) for group in groups)
            _drift(check, messages.contact_differs(env, partner.display_name, groups), partner, link,
                   REFRESH if moved_in_xero else RESYNC, url)
    check.spot["customers"] = len(links)


def _drift(check, message, record, link, fix, url=None):
    check.spot["drifts"] += 1
    check.add(Finding("drift", message, record=record, link=link, url=url, fix=fix))
