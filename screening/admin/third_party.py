"""Admins that other apps register on the staff site, brought under our rules.

Each is re-registered as a subclass of AccessAdmin (lookups, search and permissions ask
`access`); Django's group admin is removed: the roles are data of migration 0002, not edited
by hand.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice

from screening.admin import mail_queue
from screening.admin.base import AccessAdmin


def _bring_under_access(model_admin_class):
    return type(model_admin_class.__name__, (AccessAdmin, model_admin_class), {})


def restrict_site(site) -> None:
    """Unregister the group admin and the recovery codes' (shown once to their holder, never
    listed); wrap every other admin not derived from AccessAdmin."""
    for model in (Group, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, AccessAdmin):
            site.unregister(model)
            admin_class = type(model_admin)
            if model is mail_queue.MODEL:
                admin_class = mail_queue.add_descriptions(admin_class)
            site.register(model, _bring_under_access(admin_class))


restrict_site(admin.site)
