"""The staff site with two-factor sign-in (STAFF_REQUIRE_2FA), and the page where a person sets
up their own authenticator at their first sign-in."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.admin import OTPAdminSite

from screening.records import audit
from screening.staff import two_factor
from screening.staff.forms import EnrolmentForm, StaffLoginForm


class StaffAdminSite(OTPAdminSite):
    """django-otp's site (every page needs a verified second factor), with our sign-in form and
    page. A first sign-in (password right, no authenticator yet) is held on the set-up page by
    screening.staff.sessions."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"


def require_two_factor(site) -> None:
    """Make `site` (the project's admin.site, already built) the two-factor staff site."""
    site.__class__ = StaffAdminSite


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


@never_cache
@sensitive_post_parameters("code")
def enrol(request):
    """Set up your own authenticator: a QR code, a confirming code, then recovery codes once."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    context = {**admin.site.each_context(request), "title": "Set up your authenticator"}
    context["next"] = _next_url(request)
    if two_factor.has_second_factor(user):
        return render(request, "admin/two_factor/enrol.html", {**context, "enrolled": True})
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.enrolment_confirm(
                account=user, code=form.cleaned_data["code"], address=audit.client_address(request)
            )
        except two_factor.TwoFactorRefused as refused:
            form.add_error("code", str(refused))
        else:
            otp_login(request, device)  # this session is verified by the code just typed
            return render(
                request, "admin/two_factor/recovery_codes.html", {**context, "codes": codes}
            )
    device = two_factor.pending_device(user)
    return render(
        request,
        "admin/two_factor/enrol.html",
        {
            **context,
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.typed_secret(device),
        },
    )


# --- the staff site's 403 and 404: plain words in the workspace's look -----------------------

NO_ACCESS = "You don't have access to this page."


def _is_staff_path(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception=None):
    if not _is_staff_path(request):
        return defaults.permission_denied(request, exception)
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    context = {
        **admin.site.each_context(request),
        "heading": "No access",
        "message": message if message.startswith("You don't have access") else NO_ACCESS,
    }
    return render(request, "admin/staff_error.html", context, status=403)


def page_not_found(request, exception=None):
    if not _is_staff_path(request):
        return defaults.page_not_found(request, exception)
    context = {
        **admin.site.each_context(request),
        "heading": "Not found",
        "message": "There is nothing at this address. It may be mistyped, or what it named is gone.",
    }
    return render(request, "admin/staff_error.html", context, status=404)
