"""Xero → Sync errors shows, to administrators, how many records are in error: "Sync errors (3)".

Odoo 18 menus have no badge, so the count goes into the menu's name. ``load_menus`` is cached per
user (``ormcache``): the count is added after the cache, on a copy of the one entry it changes,
never into the cached dict. The web client asks for the menus at an address made of a hash of
``load_menus``' answer (``session_info``'s ``cache_hashes``), so another count is another address:
the browser's cache never serves a stale count; the count is the one of the last page load.
"""
from odoo import api, models

from .xero_connection import ADMIN


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def load_menus(self, debug):
        menus = super().load_menus(debug)
        if not self.env.user.has_group(ADMIN):
            return menus
        menu = self.env.ref("xero_connector.menu_xero_sync_errors", raise_if_not_found=False)
        if not menu or menu.id not in menus:
            return menus
        count = self.env["xero.sync.error"]._xero_error_count_for_user()
        if not count:
            return menus
        menus = dict(menus)
        menus[menu.id] = dict(menus[menu.id], name="%s (%s)" % (menus[menu.id]["name"], count))
        return menus
