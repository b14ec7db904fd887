"""Every URL the project serves x every role x GET and POST, against an expected table.

The URL patterns come from the resolver (admin included), their parameters are filled with real
ids of one seeded clinic: a submission assigned to provider A (with a priority flag and a
decision), one assigned to provider B, a staff account, a provider record, an audit event, a TOTP
device and django-axes rows. A pattern with no row in EXPECTED fails the test: a new page cannot
slip through without someone deciding who may reach it.

Cells: the status code, or "login" for a redirect to the sign-in page, "away" for any other
redirect. An object a role may not open is a plain 403 ("You don't have access to this
patient"), never the admin's "doesn't exist. Perhaps it was deleted?" on its home page.
"""

import logging
import re
import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.response import SimpleTemplateResponse
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from screening.models import ApiToken, AuditEvent, Decision, Provider, Submission
from screening.patient.submission import submission_create
from screening.staff import access
from screening.staff.roles import ensure_roles
from screening.staff.sessions import StaffSessionMiddleware
from tests.factories import api_token, full_answers

ROLES = ("anonymous", "provider_a", "provider_b", "front_desk", "clinic_admin", "privacy", "super")
METHODS = ("GET", "POST")

# route -> (GET cells, POST cells), one cell per role in ROLES order: anonymous, provider A,
# provider B, front desk, clinic admin, privacy officer, superuser. Read it column by column:
# what each role can reach. The seeded objects are provider A's (B must not open them). A 200
# on a POST with an empty body is the page answering with its form's errors: nothing saved.
EXPECTED = {
    # route: (GET, POST), columns:  anon     A     B    FD    CA    PO super
    # The probes (clinic.health) answer anyone; /readyz is 503 here: no mail worker runs.
    "healthz": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    "readyz": (
        "  503   503   503   503   503   503   503",
        "  405   405   405   405   405   405   405",
    ),
    # A provider lands on "My day" (the index stays reachable with ?all=1).
    "staff/": (
        "login  away  away   200   200   200   200",
        "login  away  away   200   200   200   200",
    ),
    "staff/login/": (
        "  200  away  away  away  away  away  away",
        "  200   200   200   200   200   200   200",
    ),
    "staff/logout/": (
        " away   405   405   405   405   405   405",
        " away   200   200   200   200   200   200",
    ),
    "staff/password_change/": (
        "login   200   200   200   200   200   200",
        "login   200   200   200   200   200   200",
    ),
    "staff/password_change/done/": (
        "login   200   200   200   200   200   200",
        "login   405   405   405   405   405   405",
    ),
    "staff/autocomplete/": (
        "login   403   403   403   403   403   403",
        "login   405   405   405   405   405   405",
    ),
    "staff/jsi18n/": (
        "login   200   200   200   200   200   200",
        "login   405   405   405   405   405   405",
    ),
    "staff/r/<path:content_type_id>/<path:object_id>/": (
        "login   404   404   404   404   404   404",
        "login   404   404   404   404   404   404",
    ),
    "staff/auth/user/reset/<uidb64>/<token>/": (
        "  200   200   200   200   200   200   200",
        "  200   200   200   200   200   200   200",
    ),
    # Setting up your own authenticator: every staff member, signed in (with two-factor, a
    # first sign-in by password alone reaches only this page).
    "staff/two-factor/": (
        "login   200   200   200   200   200   200",
        "login   200   200   200   200   200   200",
    ),
    # A lost phone: whoever manages the account resets its two-factor (the seeded account is the
    # front desk's; the POST resets it and goes back to the account).
    "staff/auth/user/<path:object_id>/two-factor-reset/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403  away   403  away",
    ),
    "staff/auth/user/reset/done/": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    "staff/auth/user/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/auth/user/add/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/auth/user/<path:object_id>/history/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/auth/user/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/auth/user/<path:object_id>/change/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/auth/user/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/screening/auditevent/": (
        "login   403   403   403   403   200   200",
        "login   403   403   403   403   200   200",
    ),
    # A patient's trail by name and date of birth: the trail's reader; the search is a POST (an
    # empty one answers with the form's errors, searching nothing).
    "staff/screening/auditevent/trail/": (
        "login   403   403   403   403   200   200",
        "login   403   403   403   403   200   200",
    ),
    "staff/screening/auditevent/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/auditevent/<path:object_id>/history/": (
        "login   403   403   403   403   200   200",
        "login   403   403   403   403   200   200",
    ),
    "staff/screening/auditevent/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/auditevent/<path:object_id>/change/": (
        "login   403   403   403   403   200   200",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/auditevent/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/screening/decision/": (
        "login   200   200   403   403   403   200",
        "login   200   200   403   403   403   200",
    ),
    "staff/screening/decision/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/decision/<path:object_id>/history/": (
        "login   200   403   403   403   403   200",
        "login   200   403   403   403   403   200",
    ),
    "staff/screening/decision/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/decision/<path:object_id>/change/": (
        "login   200   403   403   403   403   200",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/decision/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/screening/provider/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/screening/provider/add/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/screening/provider/<path:object_id>/history/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/screening/provider/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/provider/<path:object_id>/change/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/screening/provider/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    # "My day": a provider's own patients (a superuser with no provider record has none).
    "staff/screening/submission/my-day/": (
        "login   200   200   403   403   403   403",
        "login   200   200   403   403   403   403",
    ),
    "staff/screening/submission/search/": (
        "login  away  away  away  away   403  away",
        "login  away  away  away  away   403  away",
    ),
    "staff/screening/submission/<path:object_id>/decide/": (
        "login   200   404   403   403   404   403",
        "login   200   404   403   403   404   403",
    ),
    # Amending a clinical answer told in person: a provider who may open the submission; the
    # front desk and the clinic admin never (403, and no button), the privacy officer reads.
    "staff/screening/submission/<path:object_id>/amend/": (
        "login   200   404   403   403   404   403",
        "login   200   404   403   403   404   403",
    ),
    # Unlock the patient's link to change answers (locked by wrong dates of birth): a POST by
    # whoever may unlock an invitation and open the submission, back to its page.
    "staff/screening/submission/<path:object_id>/unlock-amending/": (
        "login   405   405   405   405   405   405",
        "login   403   404  away  away   404  away",
    ),
    "staff/screening/submission/<path:object_id>/acknowledge/": (
        "login  away   404   403   403   404   403",
        "login  away   404   403   403   404   403",
    ),
    "staff/screening/submission/<path:object_id>/print/": (
        "login   200   404   403   403   404   200",
        "login   200   404   403   403   404   200",
    ),
    "staff/screening/submission/": (
        "login   200   200   200   200   403   200",
        "login   200   200   200   200   403   200",
    ),
    "staff/screening/submission/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/submission/<path:object_id>/history/": (
        "login   200   403   200   200   403   200",
        "login   200   403   200   200   403   200",
    ),
    "staff/screening/submission/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/submission/<path:object_id>/change/": (
        "login   200   403   200   200   403   200",
        "login   200   403   200   200   403   200",
    ),
    "staff/screening/submission/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/otp_totp/totpdevice/<int:pk>/config/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/<int:pk>/qrcode/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/add/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/<path:object_id>/history/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/<path:object_id>/delete/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/<path:object_id>/change/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/otp_totp/totpdevice/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/axes/accessattempt/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessattempt/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/axes/accessattempt/<path:object_id>/history/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessattempt/<path:object_id>/delete/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessattempt/<path:object_id>/change/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403  away",
    ),
    "staff/axes/accessattempt/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/axes/accesslog/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accesslog/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/axes/accesslog/<path:object_id>/history/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accesslog/<path:object_id>/delete/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accesslog/<path:object_id>/change/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403  away",
    ),
    "staff/axes/accesslog/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/axes/accessfailurelog/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessfailurelog/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/axes/accessfailurelog/<path:object_id>/history/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessfailurelog/<path:object_id>/delete/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403   200",
    ),
    "staff/axes/accessfailurelog/<path:object_id>/change/": (
        "login   403   403   403   403   403   200",
        "login   403   403   403   403   403  away",
    ),
    "staff/axes/accessfailurelog/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/^(?P<app_label>auth|screening|otp_totp|axes|django_tasks_database)/$ [auth]": (
        "login   404   404   404   200   404   200",
        "login   404   404   404   200   404   200",
    ),
    "staff/^(?P<app_label>auth|screening|otp_totp|axes|django_tasks_database)/$ [screening]": (
        "login   200   200   200   200   200   200",
        "login   200   200   200   200   200   200",
    ),
    "staff/^(?P<app_label>auth|screening|otp_totp|axes|django_tasks_database)/$ [otp_totp]": (
        "login   404   404   404   404   404   200",
        "login   404   404   404   404   404   200",
    ),
    "staff/^(?P<app_label>auth|screening|otp_totp|axes|django_tasks_database)/$ [axes]": (
        "login   404   404   404   404   404   200",
        "login   404   404   404   404   404   200",
    ),
    # Phone-only patients' links, shown once to those who invite.
    "staff/screening/invitation/links/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    # The front desk's day (read-only: a POST is refused).
    "staff/screening/invitation/today/": (
        "login   403   403   200   200   403   200",
        "login   405   405   405   405   405   405",
    ),
    # Invite a returning patient (the seeded submission's) to a re-screen: whoever invites.
    "staff/screening/invitation/return-visit/<int:submission_id>/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    # Open the check-in tablet for a patient due to re-confirm: those who keep the day (front
    # desk, clinic admin). A POST only; it signs the tablet's staff session out and goes to
    # the patient's date-of-birth page.
    "staff/screening/invitation/check-in/<int:submission_id>/open/": (
        "login   405   405   405   405   405   405",
        "login   403   403  away  away   403  away",
    ),
    # Unlock from the invitation's page: a POST by whoever may unlock, back to the page.
    "staff/screening/invitation/<path:object_id>/unlock/": (
        "login   405   405   405   405   405   405",
        "login   403   403  away  away   403  away",
    ),
    # The invitations' search box posts; the list's address keeps only an opaque key.
    "staff/screening/invitation/search/": (
        "login   403   403  away  away   403  away",
        "login   403   403  away  away   403  away",
    ),
    "staff/screening/invitation/upload/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    "staff/screening/invitation/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    "staff/screening/invitation/add/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    "staff/screening/invitation/<path:object_id>/history/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    "staff/screening/invitation/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/invitation/<path:object_id>/change/": (
        "login   403   403   200   200   403   200",
        "login   403   403   200   200   403   200",
    ),
    "staff/screening/invitation/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/django_tasks_database/dbtaskresult/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/django_tasks_database/dbtaskresult/add/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/django_tasks_database/dbtaskresult/<path:object_id>/history/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/django_tasks_database/dbtaskresult/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/django_tasks_database/dbtaskresult/<path:object_id>/change/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   403   403   403",
    ),
    "staff/django_tasks_database/dbtaskresult/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    "staff/^(?P<app_label>auth|screening|otp_totp|axes|django_tasks_database)/$ [django_tasks_database]": (
        "login   404   404   404   200   404   200",
        "login   404   404   404   200   404   200",
    ),
    # FHIR API tokens: the clinic admin asks for them, the privacy officer approves them; never
    # deleted (revoked), the change page read-only.
    "staff/screening/apitoken/": (
        "login   403   403   403   200   200   200",
        "login   403   403   403   200   200   200",
    ),
    "staff/screening/apitoken/add/": (
        "login   403   403   403   200   403   200",
        "login   403   403   403   200   403   200",
    ),
    "staff/screening/apitoken/<path:object_id>/history/": (
        "login   403   403   403   200   200   200",
        "login   403   403   403   200   200   200",
    ),
    "staff/screening/apitoken/<path:object_id>/delete/": (
        "login   403   403   403   403   403   403",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/apitoken/<path:object_id>/change/": (
        "login   403   403   403   200   200   200",
        "login   403   403   403   403   403   403",
    ),
    "staff/screening/apitoken/<path:object_id>/": (
        "login  away  away  away  away  away  away",
        "login  away  away  away  away  away  away",
    ),
    # The FHIR API, requested with each role's own token (a staff session is never a token): the
    # token the role asked for, approved by the privacy officer, or none for a role that may not
    # ask (401). "[alone]": the role's token as the role alone can make it, with nobody else's
    # approval: no role reaches the records by itself. Read-only (405).
    "fhir/R4/metadata": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/metadata [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/Questionnaire/<str:resource_id>": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/Questionnaire/<str:resource_id> [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse/<str:reference>": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse/<str:reference> [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    # An amended response's versions: the same token scope and rules as its read.
    "fhir/R4/QuestionnaireResponse/<str:reference>/_history": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse/<str:reference>/_history [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse/<str:reference>/_history/<str:version>": (
        "  401   401   401   401   200   401   200",
        "  405   405   405   405   405   405   405",
    ),
    "fhir/R4/QuestionnaireResponse/<str:reference>/_history/<str:version> [alone]": (
        "  401   401   401   401   401   401   401",
        "  405   405   405   405   405   405   405",
    ),
    "i/": (
        "  404   404   404   404   404   404   404",
        "  405   405   405   405   405   405   405",
    ),
    "r/": (
        "  404   404   404   404   404   404   404",
        "  405   405   405   405   405   405   405",
    ),
    "continue/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "locked/": (
        "  403   403   403   403   403   403   403",
        "  405   405   405   405   405   405   405",
    ),
    "save/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "still-here/": (
        "  204   204   204   204   204   204   204",
        "  405   405   405   405   405   405   405",
    ),
    # Re-confirmation before the visit (the reminder's link, the check-in tablet): without one
    # open in the session, the gate and the end pages say "hand the tablet back", and the pages
    # with answers go to the gate. Staff sessions open none of them.
    "check-in/": (
        "  200   200   200   200   200   200   200",
        "  200   200   200   200   200   200   200",
    ),
    "check-in/answers/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "check-in/changes/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "check-in/done/": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    "check-in/closed/": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    "check-in/still-here/": (
        "  410   410   410   410   410   410   410",
        "  405   405   405   405   405   405   405",
    ),
    "staff/(?P<url>.*)$": (
        "login   404   404   404   404   404   404",
        "login   404   404   404   404   404   404",
    ),
    "": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    "start/": (
        "  405   405   405   405   405   405   405",
        " away  away  away  away  away  away  away",
    ),
    "questions/<slug:slug>/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "review/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    # A returning patient's re-screen: without its draft, the welcome and check pages send the
    # visitor away; a step's slug is checked first ("about-you" is no re-screen step).
    "again/": (
        " away  away  away  away  away  away  away",
        "  405   405   405   405   405   405   405",
    ),
    "again/check/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "again/<slug:slug>/": (
        "  404   404   404   404   404   404   404",
        "  404   404   404   404   404   404   404",
    ),
    "thank-you/": (
        "  404   404   404   404   404   404   404",
        "  405   405   405   405   405   405   405",
    ),
    "thank-you/your-answers/": (
        "  404   404   404   404   404   404   404",
        "  405   405   405   405   405   405   405",
    ),
    "privacy/": (
        "  200   200   200   200   200   200   200",
        "  405   405   405   405   405   405   405",
    ),
    # Changing answers after sending: only a device that opened the patient's link and gave
    # the date of birth reaches them; any other is told it can't (410) or sent there.
    "change/": (
        "  410   410   410   410   410   410   410",
        "  410   410   410   410   410   410   410",
    ),
    "change/review/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    "change/sent/": (
        "  404   404   404   404   404   404   404",
        "  405   405   405   405   405   405   405",
    ),
    "change/<slug:slug>/": (
        " away  away  away  away  away  away  away",
        " away  away  away  away  away  away  away",
    ),
    # The patient pages' language switch: a POST that sets a cookie and goes back.
    "language/": (
        "  405   405   405   405   405   405   405",
        " away  away  away  away  away  away  away",
    ),
}


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def served_routes() -> list[str]:
    return list(_walk(get_resolver()))


@pytest.fixture(scope="module")
def clinic(django_db_setup, django_db_blocker):
    """One seeded clinic for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_roles()
        users = {}
        for role, group, level in (
            ("provider_a", "Provider", "physician"),
            ("provider_b", "Provider", "physician"),
            ("front_desk", "Front desk", None),
            ("clinic_admin", "Clinic admin", None),
            ("privacy", "Privacy officer", None),
        ):
            user = User.objects.create(
                username=role, email=f"{role}@clinic.example", is_staff=True, password="!"
            )
            user.groups.add(Group.objects.get(name=group))
            if level:
                Provider.objects.create(user=user, display_name=role, credential="MD", level=level)
            users[role] = user
        users["super"] = User.objects.create(
            username="super", email="super@clinic.example", is_staff=True, is_superuser=True
        )
        today = date(2026, 11, 24)
        of_a = submission_create(
            signature_name="Ana Ruiz",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(pregnancy_status="pregnant"),
            today=today,
        )
        of_b = submission_create(
            signature_name="Ana Ruiz",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(),
            today=today,
        )
        Submission.objects.filter(pk=of_a.pk).update(assigned_provider=users["provider_a"].provider)
        Submission.objects.filter(pk=of_b.pk).update(assigned_provider=users["provider_b"].provider)
        decision = Decision.objects.create(
            submission=of_a,
            provider=users["provider_a"].provider,
            outcome="needs_in_person",
            modality="none",
        )
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=users["provider_a"], name="phone")
        from django_tasks_db.models import DBTaskResult

        from screening.invitations.service import invitation_create

        invitation = invitation_create(
            actor=users["front_desk"],
            first_name="Ana",
            last_name="Ruiz",
            email="ana@example.org",
            appointment_at=timezone.now() + timedelta(days=3),
        ).invitation
        # Each role's FHIR API tokens: asked for by the role, approved by the privacy officer
        # (the second person) or not approved at all.
        tokens = {}
        for role, user in users.items():
            if access.can_request_api_token(user):
                tokens[role] = {
                    "": api_token(owner=user, approver=users["privacy"]).secret,
                    "alone": api_token(owner=user).secret,
                }
        # A patient due to re-confirm before today's appointment (the check-in tablet).
        due = submission_create(
            signature_name="Ana Ruiz",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(),
            today=timezone.localdate() - timedelta(days=20),
        )
        Submission.objects.filter(pk=due.pk).update(
            appointment_at=timezone.now() + timedelta(hours=2)
        )
        api_token_row = ApiToken.objects.first()
        ids = {
            "screening.apitoken": api_token_row.pk,
            "auth.user": users["front_desk"].pk,
            "screening.submission": of_a.pk,
            "screening.decision": decision.pk,
            "screening.provider": users["provider_a"].provider.pk,
            "screening.auditevent": AuditEvent.objects.filter(submission=of_a).first().pk,
            "otp_totp.totpdevice": device.pk,
            "screening.invitation": invitation.pk,
            "django_tasks_database.dbtaskresult": DBTaskResult.objects.first().pk,
            "axes.accessattempt": AccessAttempt.objects.create(
                username="x", ip_address="192.0.2.1", user_agent="t", failures_since_start=1
            ).pk,
            "axes.accesslog": AccessLog.objects.create(
                username="x", ip_address="192.0.2.1", user_agent="t"
            ).pk,
            "axes.accessfailurelog": AccessFailureLog.objects.create(
                username="x", ip_address="192.0.2.1", user_agent="t", locked_out=False
            ).pk,
        }
        yield {"users": users, "ids": ids, "of_a": of_a, "tokens": tokens, "due": due}
        transaction.set_rollback(True)


def urls_for(route: str, clinic) -> list[tuple[str, str]]:
    """(key, url) pairs for one route: its parameters filled with the clinic's real ids."""
    if "(?P<app_label>" in route:
        labels = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
        return [(f"{route} [{label}]", f"/staff/{label}/") for label in labels]
    if "(?P<url>" in route:
        return [(route, "/staff/no-such-page/")]
    model = re.match(r"staff/(\w+)/(\w+)/", route)
    label = f"{model.group(1)}.{model.group(2)}" if model else None
    values = {
        "object_id": clinic["ids"].get(label),
        "pk": clinic["ids"].get(label),
        "content_type_id": ContentType.objects.get_for_model(Submission).pk,
        "uidb64": urlsafe_base64_encode(force_bytes(clinic["users"]["front_desk"].pk)),
        "token": "not-a-token",
        "slug": "about-you",
        "resource_id": "laser-prescreen-2026.12",
        "reference": clinic["of_a"].reference,
        "submission_id": clinic["of_a"].pk,
        "version": "1",
    }
    if "/check-in/" in route:  # the check-in tablet opens for a patient due to re-confirm
        values["submission_id"] = clinic["due"].pk
    if route.startswith("staff/r/"):
        values["object_id"] = clinic["of_a"].pk
    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    if route.startswith("fhir/"):
        return [(route, url), (f"{route} [alone]", url)]
    return [(route, url)]


def token_headers(clinic, role: str, key: str) -> dict:
    """The Authorization header of `role`'s token for the FHIR API key (none for other URLs,
    and none for a role that may not ask for a token)."""
    if not key.startswith("fhir/"):
        return {}
    kind = "alone" if key.endswith("[alone]") else ""
    secret = clinic["tokens"].get(role, {}).get(kind)
    return {"Authorization": f"Bearer {secret}"} if secret else {}


def cell(response) -> str:
    if response.status_code in (301, 302):
        return "login" if "/staff/login/" in response["Location"] else "away"
    return str(response.status_code)


@pytest.fixture
def unrendered(monkeypatch):
    """Page bodies are not rendered: the status is decided before, and rendering is most of the
    time of a request (the pages' content is what the other test modules check)."""
    monkeypatch.setattr(SimpleTemplateResponse, "rendered_content", property(lambda self: ""))


def signed_in(client, user) -> str:
    """Sign `client` in as `user`, with the staff session's clock started as its first request
    starts it (otherwise every request, rolled back, would write it again); returns the key."""
    client.force_login(user)
    session = client.session
    StaffSessionMiddleware._expired(session, timezone.now())
    session.save()
    return session.session_key


def observe(clinic, role: str, method: str) -> dict[str, str]:
    """The cell of every served URL for one role and method, each request rolled back.

    The database is as it was before each request, so the client is signed in exactly when it
    still holds the session cookie it was given: a logout URL (or a new session key) is followed
    by a new sign-in. The 4xx warnings are not logged: formatting their tracebacks, a thousand
    times, would be a tenth of the test's time (what is logged is test_no_phi_in_logs's subject).
    """
    client = Client()
    user = clinic["users"].get(role)
    session_key = None
    observed = {}
    with _quiet("django.request"):
        for route in served_routes():
            for key, url in urls_for(route, clinic):
                cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
                if user is not None and (cookie is None or cookie.value != session_key):
                    session_key = signed_in(client, user)
                headers = token_headers(clinic, role, key)
                with transaction.atomic():
                    response = (
                        client.get(url, headers=headers)
                        if method == "GET"
                        else client.post(url, {}, headers=headers)
                    )
                    observed[key] = cell(response)
                    transaction.set_rollback(True)
    return observed


@contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@pytest.mark.django_db
def test_every_served_url_has_an_expectation(clinic):
    keys = {key for route in served_routes() for key, _ in urls_for(route, clinic)}
    assert keys - set(EXPECTED) == set(), "new URL patterns: add their row to EXPECTED"
    assert set(EXPECTED) - keys == set(), "EXPECTED rows for URL patterns no longer served"


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
def test_the_access_matrix(clinic, unrendered, role, method):
    column = ROLES.index(role)
    observed = observe(clinic, role, method)
    expected = {
        key: rows[METHODS.index(method)].split()[column]
        for key, rows in EXPECTED.items()
        if key in observed
    }
    mismatches = {
        key: f"expected {expected[key]}, got {observed[key]}"
        for key in expected
        if observed[key] != expected[key]
    }
    assert mismatches == {}


# --- the properties that keep it so ------------------------------------------------------------


def test_every_admin_on_the_staff_site_asks_access():
    from django.contrib import admin

    from screening.admin.base import AccessAdmin

    assert {
        model._meta.label: type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AccessAdmin)
    } == {}
    assert not admin.site.is_registered(Group)  # roles are migration data, not edited by hand


def test_no_admin_module_decides_permissions_itself():
    from pathlib import Path

    import screening.admin

    for module in Path(screening.admin.__file__).parent.glob("*.py"):
        assert "has_perm(" not in module.read_text(), f"{module.name}: ask screening.staff.access"


def test_the_role_table_is_frozen_in_its_migrations():
    """A change of roles.py needs a new migration: 0002 and each later grant keep their own copy."""
    import importlib

    from screening.staff.roles import ROLE_PERMISSIONS

    created = importlib.import_module("screening.migrations.0002_roles").ROLE_PERMISSIONS
    granted = importlib.import_module("screening.migrations.0006_invitation_roles").GRANTED
    tokens = importlib.import_module("screening.migrations.0008_fhir_api_tokens").GRANTED
    approval = importlib.import_module("screening.migrations.0013_api_token_scope_expiry").GRANTED
    assert created is not ROLE_PERMISSIONS
    migrated = {
        role: created[role] + granted.get(role, []) + tokens.get(role, []) + approval.get(role, [])
        for role in created
    }
    assert migrated == ROLE_PERMISSIONS


@pytest.mark.parametrize(
    "service",
    [
        "screening.staff.decisions.submission_set_status",
        "screening.staff.decisions.submission_assign",
        "screening.staff.decisions.flags_acknowledge",
        "screening.staff.decisions.decision_record",
        "screening.staff.accounts.account_create",
        "screening.staff.accounts.account_update",
        "screening.staff.accounts.password_reset_send",
        "screening.staff.accounts.provider_save",
        "screening.fhir.tokens.api_token_create",
        "screening.fhir.tokens.api_token_approve",
        "screening.fhir.tokens.api_token_revoke",
        "screening.fhir.export.fhir_export",
    ],
)
def test_write_services_are_keyword_only_and_take_the_actor_not_the_request(service):
    import importlib
    import inspect

    module, name = service.rsplit(".", 1)
    parameters = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert "actor" in parameters and "request" not in parameters
