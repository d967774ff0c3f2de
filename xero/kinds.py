"""The Xero collections the client knows: SDK methods, id field, page size.

Adding a collection (Invoices, Items, ...) is one entry here plus its mapper.
"""


class Kind:
    def __init__(self, name, id_field, read, write=None, create=None, page_size=None,
                 read_params=()):
        self.name = name  # Xero's collection, also the JSON key of its answers
        self.id_field = id_field
        self.read = read  # SDK method listing the collection
        self.write = write  # SDK method creating or updating (POST)
        self.create = create  # SDK method creating only (PUT)
        self.page_size = page_size  # None: the endpoint does not page
        self.read_params = set(read_params)  # optional filters the endpoint accepts


KINDS = {
    "Contacts": Kind(
        "Contacts", "ContactID", read="get_contacts", write="update_or_create_contacts",
        create="create_contacts", page_size=1000,
        read_params={"if_modified_since", "where", "order", "i_ds", "include_archived",
                     "summary_only", "search_term"}),
}


def get(name):
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError("Unknown Xero collection %r" % name) from None
