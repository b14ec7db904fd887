"""A list's search box that keeps the typed text out of every address: the box posts, the text
is kept in the server-side session, and the list's address carries only an opaque key.

A name typed into a search would otherwise sit in the address bar, the browser's history and the
server's access log (?q=Ruiz). The queue has its own copy of this (admin/submissions.py); this is
the same mechanism for other lists (invitations).
"""

from __future__ import annotations

import secrets

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse

SEARCH_KEY = "search"
SEARCHES_KEPT = 10
SESSION_KEY = "staff_list_searches"


class KeptSearchChangeList(ChangeList):
    def __init__(self, request, *args, **kwargs):
        self.kept_search = getattr(request, "_kept_search", "")
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(SEARCH_KEY, None)
        return lookup_params


class KeptSearchMixin:
    """For a ModelAdmin: its search posts to <list>/search/ and its list reads the kept term."""

    def _list_url(self) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def get_changelist(self, request, **kwargs):
        return KeptSearchChangeList

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term or getattr(request, "_kept_search", "")
        return super().get_search_results(request, queryset, search_term)

    def kept_search(self, request) -> str:
        """The list's search term for this request (set by changelist_view)."""
        kept = request.session.get(SESSION_KEY, {}).get(request.GET.get(SEARCH_KEY, ""), "")
        request._kept_search = kept
        return kept

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and request.GET.get("q"):
            return self._redirect_to_kept_search(request, request.GET)
        kept = self.kept_search(request)
        opts = self.model._meta
        extra_context = {
            **(extra_context or {}),
            "kept_search": kept,
            "search_action": reverse(f"admin:{opts.app_label}_{opts.model_name}_search"),
        }
        return super().changelist_view(request, extra_context)

    def search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(self._list_url())
        return self._redirect_to_kept_search(request, request.POST)

    def _redirect_to_kept_search(self, request, data):
        params = data.copy()
        term = params.pop("q", [""])[-1].strip()[:200]
        params.pop("csrfmiddlewaretoken", None)
        params.pop(SEARCH_KEY, None)
        if term:
            searches = dict(
                list(request.session.get(SESSION_KEY, {}).items())[-(SEARCHES_KEPT - 1) :]
            )
            key = secrets.token_urlsafe(8)
            searches[key] = term
            request.session[SESSION_KEY] = searches
            params[SEARCH_KEY] = key
        url = self._list_url()
        return HttpResponseRedirect(f"{url}?{params.urlencode()}" if params else url)

    def search_urls(self):
        opts = self.model._meta
        return [
            path(
                "search/",
                self.admin_site.admin_view(self.search_view),
                name=f"{opts.app_label}_{opts.model_name}_search",
            )
        ]
