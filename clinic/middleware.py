"""Project-wide middleware: refuse oversized request bodies, and keep pages out of caches."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

# The staff's side: the admin and the FHIR API. Everything else is the patient's.
STAFF_PATH_PREFIXES = ("/staff/", "/fhir/")


class RequestSizeLimitMiddleware:
    """Answer 413 to a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, before anything reads it.

    Django itself only refuses an oversized body when a view reads `request.POST`, and then with
    a 400; this looks at Content-Length first, so a 10 MB POST costs nothing but its headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return render(request, "400.html", status=400)
        if length < 0:
            return render(request, "400.html", status=400)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return render(request, "400.html", status=413)
        return self.get_response(request)


class PatientLocaleMiddleware(LocaleMiddleware):
    """Patients' pages in the language they chose (the language switch's cookie), else their
    browser's; staff pages always in the clinic's language (English), whatever the browser says.

    Staff read answers, flags and exports in one language, so a provider's browser set to
    Spanish still gets the English admin (Django's own Spanish admin catalogue stays unused).
    """

    def process_request(self, request):
        if request.path_info.startswith(STAFF_PATH_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(STAFF_PATH_PREFIXES):
            return response  # one language: no `Vary: Accept-Language`, no Content-Language
        return super().process_response(request, response)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and friends) on every response except static files.

    Patient pages show health data and staff pages more of it: neither the browser's history nor
    a shared proxy may keep a copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            add_never_cache_headers(response)
        return response
