"""Sale orders → Xero invoices and quotes, on the engine.

An order goes to Xero when someone clicks Send to Xero (``send.py``), or by itself when it is
confirmed if the mapping says so. Its customer and products are made sure of first, through
their own objects (``_push_now``); the document is then created once (``attempts.py`` and the
Idempotency-Key: never a second invoice for an order) and updated in place while Xero still
lets it change (draft, submitted). Odoo owns the document's content; Xero owns its status and
the money (``xero.mappers.document.facts``), which the links keep and the pull brings back
(``ir_cron_xero_invoices_pull``): they are never written into the order's lines.
"""
