"""The Xero side of the connector, in plain Python.

Nothing here imports Odoo: the client, quota, retries, errors and payload mappers are tested
with plain pytest and reused by the benchmarks; the fake Xero lives in ``xero_sandbox``.
Modules use relative imports only, so the package works both as ``xero`` (pure tests,
bench) and as ``odoo.addons.xero_connector.xero`` (inside Odoo).
"""
