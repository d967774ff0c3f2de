"""``_xero_preflight(connection)`` on customers, products and orders: every problem that would
stop (``block``) or weaken (``warn``) their write to Xero, from ``sync.preflight``. An order
shows them as a banner before anyone clicks Send to Xero."""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup, escape

from odoo import api, fields, models

from ..sync.preflight import BLOCK, Preflight

XERO_USER = "xero_connector.group_xero_user"


def preflight(records, connection, check):
    """The problems ``Preflight.<check>`` finds in each of ``records`` for ``connection``
    (default: their company's)."""
    connection = connection or records.env.company.sudo().xero_connection_id
    if not connection:
        return []
    run = getattr(Preflight(connection), check)
    return [found for record in records for found in run(record)]


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _xero_preflight(self, connection=None):
        return preflight(self, connection, "partner")


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _xero_preflight(self, connection=None):
        return preflight(self, connection, "product")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    xero_preflight_html = fields.Html("Before sending to Xero", compute="_compute_xero_preflight",
                                      sanitize=False, groups=XERO_USER)
    xero_preflight_level = fields.Selection([("ok", "Ready"), ("warn", "Warnings"), ("block", "Blocked")],
                                            compute="_compute_xero_preflight", groups=XERO_USER)

    def _xero_preflight(self, connection=None):
        return preflight(self, connection, "order")

    @api.depends("order_line", "partner_id", "partner_invoice_id", "currency_id", "date_order",
                 "order_line.tax_id", "order_line.product_id", "order_line.analytic_distribution")
    def _compute_xero_preflight(self):
        # One check per company (its map read once), on saved and unsaved orders alike: the
        # banner follows the form while it is edited.
        for company, orders in self.grouped("company_id").items():
            connection = company.sudo().xero_connection_id
            check = Preflight(connection) if connection and connection.tenant_id else None
            for order in orders:
                problems = check.order(order) if check and order.state != "cancel" else []
                order.xero_preflight_level = "block" if any(p["level"] == BLOCK for p in problems) \
                    else "warn" if problems else "ok"
                # What stops it first, then what only weakens it.
                problems = sorted(problems, key=lambda p: p["level"] != BLOCK)
                order.xero_preflight_html = Markup("<ul class='mb-0'>%s</ul>") % Markup("").join(
                    Markup("<li>%s</li>") % (escape(p["message"]) if p["level"] == BLOCK else escape(
                        self.env._("Warning: %s", p["message"]))) for p in problems) if problems else False
