from django.urls import path

from screening.patient import amend_views, check_in, views
from screening.patient.rescreen import views as rescreen

app_name = "screening"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start, name="start"),
    path("questions/<slug:slug>/", views.step, name="step"),
    path("review/", views.review, name="review"),
    path("thank-you/", views.confirmation, name="confirmation"),
    path("thank-you/your-answers/", views.own_copy, name="own_copy"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("language/", views.choose_language, name="language"),
    # Personal links: the token is taken off the path first (clinic.log_masking).
    path("i/", views.open_invitation, name="open_invitation"),
    path("r/", views.open_saved_draft, name="open_saved_draft"),
    path("continue/", views.resume, name="resume"),
    path("locked/", views.locked, name="locked"),
    path("save/", views.save_for_later, name="save_for_later"),
    path("still-here/", views.still_here, name="still_here"),
    # Re-confirmation before the visit (the reminder's link, the check-in tablet).
    path("check-in/", check_in.gate, name="check_in"),
    path("check-in/answers/", check_in.answers, name="check_in_answers"),
    path("check-in/changes/", check_in.changes, name="check_in_changes"),
    path("check-in/done/", check_in.done, name="check_in_done"),
    path("check-in/closed/", check_in.closed, name="check_in_closed"),
    path("check-in/still-here/", check_in.still_here, name="check_in_still_here"),
    # A returning patient's short re-screen (an invitation with a previous submission).
    path("again/", rescreen.welcome, name="rescreen"),
    path("again/check/", rescreen.check, name="rescreen_check"),
    path("again/<slug:slug>/", rescreen.step, name="rescreen_step"),
    # Changing answers after sending, through the patient's link (the date of birth first).
    path("change/", amend_views.amend_start, name="amend"),
    path("change/review/", amend_views.amend_review, name="amend_review"),
    path("change/sent/", amend_views.amend_sent, name="amend_sent"),
    path("change/<slug:slug>/", amend_views.amend_step, name="amend_step"),
]
