"""The base of every ModelAdmin on the staff site: the admin's generic machinery asks `access`.

Permissions, search fields and query-string lookups are decided by `screening.staff.access`, not by
each page: a list is narrowed only by the filters and the search its page offers to the user
(anything else, such as `answers__pregnancy_status=pregnant`, is refused with a 400).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter, ListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from screening.models import Submission
from screening.questionnaire.text_policy import validate_long_text, validate_short_text
from screening.staff import access


def filter_parameters(model_admin, request) -> set[str]:
    """The query-string parameters of the filters (and date drill-down) the page offers."""
    offered = set()
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type) and issubclass(list_filter, ListFilter):
            offered.add(list_filter.parameter_name)
            continue
        field_path, filter_class = (
            list_filter if isinstance(list_filter, (list, tuple)) else (list_filter, None)
        )
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        spec = (filter_class or FieldListFilter.create)(
            field, request, {}, model_admin.model, model_admin, field_path=field_path
        )
        offered.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        offered.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return offered


class AccessAdmin(admin.ModelAdmin):
    """Every admin on the staff site derives from this (a test checks the whole site): our
    rules and the admin's own (a third-party admin's read-only pages) must both allow."""

    def has_view_permission(self, request, obj=None):
        return access.admin_permission(
            request.user, "view", self.model, obj
        ) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return access.admin_permission(
            request.user, "add", self.model
        ) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return access.admin_permission(
            request.user, "change", self.model, obj
        ) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return access.admin_permission(
            request.user, "delete", self.model, obj
        ) and super().has_delete_permission(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """An object this user may not open, or that is not there: a plain 403 or 404 page, not
        the admin's "doesn't exist. Perhaps it was deleted?" on its home page."""
        try:
            exists = self.model._default_manager.filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            exists = False
        if exists:
            noun = "patient" if self.model is Submission else opts.verbose_name
            raise PermissionDenied(f"You don't have access to this {noun}.")
        raise Http404

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Every text a staff member types on this site keeps the policy of every typed text
        (questionnaire.text_policy), whichever page it is on."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
            long = isinstance(db_field, models.TextField)
            field.validators.append(validate_long_text if long else validate_short_text)
        return field

    def get_changelist_instance(self, request):
        # The date drill-down's end is the next day, month or year: from a typed year 9999 it
        # overflows (a 500 in Django's own code). Out of range is a wrong lookup like any other.
        if self.date_hierarchy:
            year = request.GET.get(f"{self.date_hierarchy}__year")
            if year is not None and not (year.isdigit() and 1 <= int(year) < 9999):
                raise IncorrectLookupParameters(f"{self.date_hierarchy}__year")
        return super().get_changelist_instance(request)

    def get_search_fields(self, request):
        return access.search_fields(self.model)

    def lookup_allowed(self, lookup, value, request=None):
        if request is None:
            return False
        offered = getattr(request, "_offered_filter_parameters", None)
        if offered is None:
            offered = request._offered_filter_parameters = filter_parameters(self, request)
        return access.lookup_allowed(lookup, offered=offered)
