"""The app's URLs plus an empty view: the floor every ratio is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def empty(request):
    return HttpResponse("")


urlpatterns = [
    path("bench/empty/", empty),
    path("", include("clinic.urls")),
]
