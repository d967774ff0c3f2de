"""To 18.0.1.3.0 (the mapping, the first minutes): salespeople become Xero users, as on a new install (the install
data is ``noupdate``, so an upgrade would otherwise skip it). Xero's settings of each connected
organisation are read by the nightly job or the next product sync; the map starts empty until
an administrator opens it."""
from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    salesmen = env.ref("sales_team.group_sale_salesman", raise_if_not_found=False)
    xero_users = env.ref("xero_connector.group_xero_user", raise_if_not_found=False)
    if salesmen and xero_users and xero_users not in salesmen.implied_ids:
        salesmen.write({"implied_ids": [Command.link(xero_users.id)]})
