"""Where a provider lands: "My day" (their patients by appointment), not the admin's index.

The index stays one click away (?all=1): its lists are for the other roles' work.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from screening.staff import access


def _provider_home(index):
    def view(request, extra_context=None):
        if access.provider_of(request.user) is not None and not request.GET.get("all"):
            return redirect(reverse("admin:screening_submission_my_day"))
        return index(request, extra_context)

    return view


admin.site.index = _provider_home(admin.site.index)
