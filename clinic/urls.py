from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

admin.site.site_header = "Pre-screening: provider workspace"
admin.site.site_title = "Pre-screening"
admin.site.index_title = "Submissions and providers"
if settings.STAFF_REQUIRE_2FA:
    # Every staff login then needs a verified authenticator code (django-otp).
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("staff/", admin.site.urls),
    path("", include("screening.urls")),
]
