from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Pre-screening: provider workspace"
admin.site.site_title = "Pre-screening"
admin.site.index_title = "Submissions and providers"

urlpatterns = [
    path("staff/", admin.site.urls),
    path("", include("screening.urls")),
]
