"""A sale order as the plain values of a Xero invoice or quote (``xero.mappers.invoice``): the
customer by ContactID, one line per order line (sections and notes as description-only
lines) with its item code, account and tax from the connection's map, the due date from the
payment terms, and the options of the mapping wizard."""
import pytz

from ...xero.org_settings import due_date

DOCUMENT_PARAM = "xero_connector.document_type"
STATUS_PARAM = "xero_connector.invoice_status"
NUMBERING_PARAM = "xero_connector.numbering"
RATE_PARAM = "xero_connector.currency_rate"


def options(env):
    params = env["ir.config_parameter"].sudo()
    return {"document": params.get_param(DOCUMENT_PARAM) or "invoice",
            "status": params.get_param(STATUS_PARAM) or "DRAFT",
            "numbering": params.get_param(NUMBERING_PARAM) or "xero",
            "rate": params.get_param(RATE_PARAM) or "xero"}


def customer(order):
    """Who the invoice is for in Xero: the commercial entity of the invoice address."""
    return (order.partner_invoice_id or order.partner_id).commercial_partner_id


def order_date(order):
    """The order's day where it was sold (Odoo keeps UTC: 9 am on 1 July in Auckland is still
    30 June in UTC): the salesperson's time zone, else the company's, else UTC."""
    when = order.date_order or order.create_date
    zone = order.user_id.tz or order.company_id.partner_id.tz or "UTC"
    return pytz.utc.localize(when).astimezone(pytz.timezone(zone)).date()


def order_values(order, mapping, contact_id, item_codes):
    """The invoice (or quote) values of ``order``; ``item_codes``: {product id: Xero item code}."""
    env = order.env
    opts = options(env)
    rules = mapping.rules
    day = order_date(order)
    terms = mapping.payment_terms(order.payment_term_id)
    lines = order.order_line.sorted(lambda line: (line.sequence, line.id))
    priced = lines.filtered(lambda line: not line.display_type)
    taxes = priced.tax_id
    if not taxes:
        amounts = "notax"
    else:
        amounts = "inclusive" if all(taxes.mapped("price_include")) else "exclusive"
    taxed = bool(taxes)
    values = {
        "contact_id": contact_id,
        "date": day.isoformat(),
        "due_date": _due(order, day, terms).isoformat(),
        "reference": order.name,
        "number": order.name if opts["numbering"] == "odoo" else None,
        "currency": order.currency_id.name,
        "currency_rate": _rate(order, rules.base_currency) if opts["rate"] == "odoo" else None,
        "amounts": amounts,
        "status": opts["status"] if opts["document"] == "invoice" else "DRAFT",
        "url": "%s/odoo/sales/%s" % (order.get_base_url(), order.id),
        "branding_theme_id": mapping.connection.xero_branding_theme_id or None,
        "lines": [_line(line, mapping, item_codes, taxed) for line in lines],
    }
    if opts["document"] == "quote":
        values.update(expiry_date=order.validity_date.isoformat() if order.validity_date else None,
                      title=order.name, url=None)
    return values


def _line(line, mapping, item_codes, taxed):
    if line.display_type:
        return {"description": line.name or ""}
    product = line.product_id
    return {
        "description": line.name or product.display_name or "",
        "quantity": line.product_uom_qty,
        "unit_amount": line.price_unit,
        "item_code": item_codes.get(product.id) if product else None,
        "account_code": mapping.sales_account(product) if product else mapping.default_account,
        "tax_type": mapping.line_tax_type(line.tax_id, taxed),
        "discount_rate": line.discount or None,
        "tracking": mapping.tracking(line)[0],
    }


def _due(order, day, terms):
    """Xero's due date of the mapped terms; else Odoo's own (an instalment plan: its last)."""
    if terms:
        return due_date(day, terms["days"], terms["type"])
    lines = order.payment_term_id.line_ids
    return max(line._get_due_date(day) for line in lines) if lines else day


def _rate(order, base):
    """Odoo's rate of the order's currency against Xero's base currency (units per base unit)."""
    if not base or order.currency_id.name == base:
        return None
    Currency = order.env["res.currency"].with_context(active_test=False)
    base_currency = Currency.search([("name", "=", base)], limit=1)
    if not base_currency:
        return None
    return Currency._get_conversion_rate(base_currency, order.currency_id, order.company_id, order_date(order))


def invoice_label(env, field):
    """A readable name of a field of ``xero.mappers.invoice`` (``lines.2.tracking``...)."""
    labels = {"contact_id": env._("customer"), "number": env._("number"), "reference": env._("reference"),
              "date": env._("date"), "due_date": env._("due date"), "expiry_date": env._("expiry date"),
              "title": env._("title"), "summary": env._("summary"), "terms": env._("terms"), "lines": env._("lines"),
              "description": env._("description"), "tracking": env._("analytic distribution"),
              "discount_rate": env._("discount"), "item_code": env._("product"),
              "amounts": env._("taxes included or not"), "status": env._("status"), "currency": env._("currency"),
              "currency_rate": env._("exchange rate"), "url": env._("link to the order"),
              "branding_theme_id": env._("branding theme"), "quantity": env._("quantity"),
              "unit_amount": env._("unit price"), "account_code": env._("account"), "tax_type": env._("tax")}
    parts = field.split(".")
    if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
        return env._("line %(number)s, %(field)s", number=int(parts[1]) + 1, field=labels.get(parts[2], parts[2]))
    return labels.get(field, field)
