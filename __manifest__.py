{
    "name": "Xero Connector",
    "summary": "Two-way sync between Odoo and Xero: contacts, products, orders, invoices and payments",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "xero_connector",
    "depends": ["sale_management", "account", "mail"],
    "external_dependencies": {
        "python": ["xero_python", "authlib", "cryptography", "tenacity"],
    },
    "data": [
        "security/xero_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/xero_connection_views.xml",
        "views/xero_sync_log_views.xml",
        "views/res_config_settings_views.xml",
        "views/oauth_templates.xml",
        "views/menus.xml",
    ],
    "installable": True,
    "application": True,
}
