"""Odoo-side orchestration of the syncs, between the ORM models and the pure ``xero`` layer.

``engine`` is what every object shares (push, pull, merge, error policy, the registry of objects);
each object is a package of its own that registers itself with the engine, in dependency order:
``contacts`` (customers ⇄ contacts), ``items`` (products ⇄ items), ``orders`` (sale orders →
quotes and invoices, their payments back), ``receivables`` (a read-only mirror of the
customers' Xero invoices and credit notes).
"""
from . import contacts, items
from .orders import documents
from . import receivables
