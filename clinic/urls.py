from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from clinic import health
from screening.staff.forms import StaffLoginForm

admin.site.site_header = "Pre-screening: provider workspace"
# The queue needs the width on a 1024-wide tablet; the site has two lists (the home page and the
# breadcrumbs reach them), so the sidebar earns nothing here.
admin.site.enable_nav_sidebar = False
admin.site.site_title = "Pre-screening"
admin.site.index_title = "Submissions and providers"
if settings.STAFF_REQUIRE_2FA:
    # Every staff login then needs a verified authenticator code (django-otp).
    admin.site.__class__ = OTPAdminSite
    # Password and code in one step, and a wrong code counted by the lockout and audited.
    admin.site.login_form = StaffLoginForm

urlpatterns = [
    # Probes (clinic.health): answered by its middleware first; listed here to be reversible.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("staff/", admin.site.urls),
    # The read-only FHIR API for the clinic's EHR (token in the Authorization header).
    path("fhir/R4/", include("screening.fhir.urls")),
    path("", include("screening.urls")),
]
