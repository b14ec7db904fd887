from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from clinic import health
from screening.admin import site as staff_site

admin.site.site_header = f"{settings.CLINIC_NAME}: pre-screening workspace"
# The queue needs the width on a 1024-wide tablet; the site has two lists (the home page and the
# breadcrumbs reach them), so the sidebar earns nothing here.
admin.site.enable_nav_sidebar = False
admin.site.site_title = "Pre-screening"
admin.site.index_title = "Submissions and providers"
if settings.STAFF_REQUIRE_2FA:
    # Every staff login then needs a verified authenticator code (django-otp), typed with the
    # password in one step; a wrong code is counted by the lockout and audited; a first sign-in
    # sets up its authenticator before anything else.
    staff_site.require_two_factor(admin.site)

handler403 = staff_site.permission_denied
handler404 = staff_site.page_not_found

urlpatterns = [
    # Probes (clinic.health): answered by its middleware first; listed here to be reversible.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Outside the site's own pages, which all need a verified second factor.
    path("staff/two-factor/", staff_site.enrol, name="staff_two_factor"),
    path("staff/", admin.site.urls),
    # The read-only FHIR API for the clinic's EHR (token in the Authorization header).
    path("fhir/R4/", include("screening.fhir.urls")),
    path("", include("screening.urls")),
]
