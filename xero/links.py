"""Links that open a record in Xero's web app, for people (the API has no such field).

The shapes are those Xero's own MCP server builds (``src/consts/deeplinks.ts`` of
XeroAPI/xero-mcp-server): ``/app/<short code>/...`` with the organisation's ShortCode. Items
have no page of their own there: their link opens the organisation's products and services.
"""
BASE = "https://go.xero.com"


def contact(short_code, contact_id):
    return "%s/app/%s/contacts/contact/%s" % (BASE, short_code, contact_id) if short_code and contact_id else None


def invoice(short_code, invoice_id):
    return "%s/app/%s/invoicing/view/%s" % (BASE, short_code, invoice_id) if short_code and invoice_id else None


def quote(short_code, quote_id):
    return "%s/app/%s/quotes/view/%s" % (BASE, short_code, quote_id) if short_code and quote_id else None


def items(short_code):
    if not short_code:
        return None
    return "%s/organisationlogin/default.aspx?shortcode=%s&redirecturl=/Accounts/Inventory/" % (BASE, short_code)
