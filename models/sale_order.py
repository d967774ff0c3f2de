from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        """A confirmed order makes its customer (the commercial entity) a Xero contact of the
        order's company."""
        result = super().action_confirm()
        for company, orders in self.filtered(lambda o: o.state == "sale").grouped("company_id").items():
            connection = company.sudo().xero_connection_id
            if connection:
                orders.partner_id.commercial_partner_id._xero_ensure_links(connection)
        return result
