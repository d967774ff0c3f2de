"""Branding themes (read-only here): GET /BrandingThemes (listed by SortOrder, the default
theme first) and GET /BrandingThemes/{BrandingThemeID}. No UpdatedDateUTC, so no
If-Modified-Since. The themes a new organisation starts with: ``settings.py``."""
from . import listing

READ_SCOPES = ("accounting.settings", "accounting.settings.read")


def register(router):
    listing.register_reads(router, "/BrandingThemes", "BrandingThemes",
                           lambda tenant: tenant.branding_themes, READ_SCOPES, modified=False)
