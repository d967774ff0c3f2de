"""Odoo products ⇄ the plain item values of ``xero.mappers.item``: the one place that knows which
product field is which Xero field.

One Xero item per product variant: its Code is the internal reference, or a stable code made
of a prefix and the variant's id; its Name the variant's name (with its attribute values). Values
are computed for many products at once from prefetched records, in English, in the
connection's company (prices, costs, taxes and accounts depend on it).
"""
CODE_PARAM = "xero_connector.item_code_prefix"
DEFAULT_PREFIX = "ODOO-"

# Product fields whose change touches a group of the Xero item, on a variant or its template.
PRODUCT_GROUPS = {
    "name": "identity", "default_code": "identity", "description_sale": "identity",
    "description_purchase": "identity", "product_template_attribute_value_ids": "identity",
    "sale_ok": "sales", "list_price": "sales", "lst_price": "sales", "taxes_id": "sales",
    "property_account_income_id": "sales",
    "purchase_ok": "purchase", "standard_price": "purchase", "supplier_taxes_id": "purchase",
    "property_account_expense_id": "purchase",
    "active": "status",
}
# The category gives the income and expense accounts of a product that has none of its own.
CATEGORY_GROUPS = {"sales", "purchase"}


def code_prefix(env):
    return env["ir.config_parameter"].sudo().get_param(CODE_PARAM) or DEFAULT_PREFIX


def touched_groups(vals):
    groups = {PRODUCT_GROUPS[f] for f in vals if f in PRODUCT_GROUPS}
    return groups | CATEGORY_GROUPS if "categ_id" in vals else groups


def item_values(products, connection, prefix, account_map=None):
    """{product id: values} for product variants, in ``connection``'s company. Without an
    ``account_map`` (Xero's chart unknown), no account or tax is given."""
    company = connection.company_id
    products = products.with_context(lang="en_US", active_test=False, display_default_code=False) \
        .with_company(company)
    out = {}
    for product in products:
        accounts = product.product_tmpl_id.get_product_accounts() if account_map else {}
        out[product.id] = {
            "code": product.default_code or "%s%d" % (prefix, product.id),
            "name": product.display_name or "",
            "description": product.description_sale or "",
            "purchase_description": product.description_purchase or "",
            "is_sold": product.sale_ok,
            "sale_price": product.lst_price,
            "sale_account": account_map.sales_account(product) if account_map else None,
            "sale_tax": account_map.tax_type(product.taxes_id, "sale") if account_map else None,
            "is_purchased": product.purchase_ok,
            "purchase_price": product.standard_price,
            "purchase_account": account_map.account_code(accounts.get("expense")) if account_map else None,
            "purchase_tax": account_map.tax_type(product.supplier_taxes_id, "purchase") if account_map else None,
            "archived": not product.active,
        }
    return out


class ProductWriter:
    """Xero's item values → product values, for the groups a merge pulled."""

    def __init__(self, env, connection, prefix, account_map=None):
        self.env = env
        self.company = connection.company_id
        self.prefix = prefix
        self.account_map = account_map

    def product_vals(self, product, values, groups):
        """(template vals, variant vals) of ``groups``; a value Xero no longer holds (a price
        cleared, an account or tax Odoo cannot tell) leaves Odoo's as it is."""
        template, variant = {}, {}
        single = len(product.product_tmpl_id.product_variant_ids) <= 1
        if "identity" in groups:
            if single and values.get("name"):
                template["name"] = values["name"]
            code = values.get("code") or False
            generated = code and code.upper() == ("%s%d" % (self.prefix, product.id)).upper()
            if not generated and code != product.default_code:
                variant["default_code"] = code
            if values.get("description") is not None:
                template["description_sale"] = values["description"] or False
            template["description_purchase"] = values.get("purchase_description") or False
        if "status" in groups:
            variant["active"] = not values.get("archived")
            if single:
                template["active"] = variant["active"]
        if values.get("archived"):
            return template, variant  # Xero cleared the details of an item it no longer uses
        if "sales" in groups:
            template["sale_ok"] = bool(values.get("is_sold"))
            if values.get("sale_price") is not None:
                template["list_price"] = float(values["sale_price"]) - product.price_extra
            template.update(self._account_and_taxes(values.get("sale_account"), values.get("sale_tax"), "sale",
                                                    "property_account_income_id", "taxes_id", product))
        if "purchase" in groups:
            template["purchase_ok"] = bool(values.get("is_purchased"))
            if values.get("purchase_price") is not None:
                variant["standard_price"] = float(values["purchase_price"])
            template.update(self._account_and_taxes(values.get("purchase_account"), values.get("purchase_tax"),
                                                    "purchase", "property_account_expense_id", "supplier_taxes_id",
                                                    product))
        return template, variant

    def _account_and_taxes(self, code, tax_type, usage, account_field, taxes_field, product):
        vals = {}
        if not self.account_map:
            return vals
        account = self.account_map.account(code, self.env)
        if account:
            vals[account_field] = account.id
        taxes = self.account_map.taxes(tax_type, usage, self.env)
        if taxes:
            # Only this company's taxes are replaced: the product may be shared with others.
            mine = product[taxes_field].filtered(lambda t: t.company_id == self.company)
            if mine != taxes:
                vals[taxes_field] = [(3, t.id) for t in mine - taxes] + [(4, t.id) for t in taxes - mine]
        return vals

    def new_product_vals(self, values):
        """A product for an item first seen in Xero: it belongs to the organisation's company;
        goods when Xero tracks its stock, else a service."""
        vals = {
            "name": values.get("name") or values.get("code"),
            "default_code": values.get("code") or False,
            "type": "consu" if values.get("tracked") else "service",
            "company_id": self.company.id,
            "sale_ok": bool(values.get("is_sold")),
            "purchase_ok": bool(values.get("is_purchased")),
            "description_sale": values.get("description") or False,
            "description_purchase": values.get("purchase_description") or False,
        }
        if values.get("sale_price") is not None:
            vals["list_price"] = float(values["sale_price"])
        if values.get("purchase_price") is not None:
            vals["standard_price"] = float(values["purchase_price"])
        for usage, code, tax_type, account_field, taxes_field in (
                ("sale", values.get("sale_account"), values.get("sale_tax"), "property_account_income_id",
                 "taxes_id"),
                ("purchase", values.get("purchase_account"), values.get("purchase_tax"),
                 "property_account_expense_id", "supplier_taxes_id")):
            if self.account_map:
                account = self.account_map.account(code, self.env)
                taxes = self.account_map.taxes(tax_type, usage, self.env)
                if account:
                    vals[account_field] = account.id
                if taxes:  # else Odoo's default taxes stay
                    vals[taxes_field] = [(6, 0, taxes.ids)]
        return vals
