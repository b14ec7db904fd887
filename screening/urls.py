from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start, name="start"),
    path("questions/<slug:slug>/", views.step, name="step"),
    path("review/", views.review, name="review"),
    path("thank-you/", views.confirmation, name="confirmation"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
