"""Tracking categories (read-only here): GET /TrackingCategories (where, order,
includeArchived; listed by Name) and GET /TrackingCategories/{TrackingCategoryID}.

A listing holds the ACTIVE categories with their ACTIVE options; ``includeArchived=true``
adds the ARCHIVED ones, categories and options alike (a reader that forgets it never sees an
option it may still find on old invoices). DELETED ones are never listed. A GET by ID answers
the category whatever its status, with all its options, as the spec's example (a DELETED
category) shows. Each option carries the flags Xero derives from its Status (IsActive,
IsArchived, IsDeleted, HasValidationErrors), so a test changes the Status alone. The
categories a new organisation starts with: ``settings.py``.
"""
from . import listing

READ_SCOPES = ("accounting.settings", "accounting.settings.read")
KEY = "TrackingCategories"


def _option(option):
    status = option.get("Status")
    return dict(option, HasValidationErrors=False, IsDeleted=status == "DELETED",
                IsArchived=status == "ARCHIVED", IsActive=status == "ACTIVE")


def _presenter(statuses):
    def present(category):
        return dict(category, Options=[_option(o) for o in category.get("Options") or ()
                                       if statuses is None or o.get("Status") in statuses])
    return present


def get_tracking_categories(ctx):
    archived = ctx.q_bool("includeArchived", False)
    statuses = ("ACTIVE", "ARCHIVED") if archived else ("ACTIVE",)
    return listing.listed(ctx, KEY, ctx.tenant.tracking_categories, present=_presenter(statuses),
                          variant=(archived,), keep=lambda category: category.get("Status") in statuses)


def get_tracking_category(ctx):
    store = ctx.tenant.tracking_categories
    return listing.one(ctx, KEY, store, store.find_id(ctx.params["id"]), present=_presenter(None))


def register(router):
    router.add("GET", "/TrackingCategories", get_tracking_categories, READ_SCOPES)
    router.add("GET", "/TrackingCategories/{id}", get_tracking_category, READ_SCOPES)
