"""The provider's path in a real browser: sign in, queue, a flagged submission, decide."""

import pytest
from playwright.sync_api import expect

from screening.models import Decision
from tests.browser.helpers import _AXE_RUN, _AXE_SCRIPT, axe_report, snap
from tests.factories import STAFF_PASSWORD, many_followups_answers, submission

pytestmark = pytest.mark.browser


def assert_no_serious_axe_violations(page, where):
    """The admin is Django's: held to no serious or critical violations."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_AXE_SCRIPT)
    violations = [
        violation
        for violation in page.evaluate(_AXE_RUN)
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not violations, f"axe on {where} ({page.url}):\n{axe_report(violations)}"


@pytest.fixture
def flagged(doctor):
    return submission(
        many_followups_answers(),
        cold_sore_now="yes",
        keloid_history="yes",
        anything_else_text='<script>alert("x")</script>',
    )


def test_a_provider_reviews_a_flagged_submission_and_records_a_decision(page, doctor, flagged):
    page.goto("/staff/login/")
    page.fill("#id_username", doctor.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")

    page.goto("/staff/screening/submission/")
    expect(page.locator("#result_list")).to_contain_text(flagged.reference)
    expect(page.locator("#result_list .sev-priority").first).to_be_visible()
    assert_no_serious_axe_violations(page, "the queue")
    snap(page, "queue", "provider")

    # The search box posts: the name searched for never appears in a URL (access logs).
    page.fill("#searchbar", flagged.last_name)
    page.click("#changelist-search input[type=submit]")
    expect(page.locator("#result_list")).to_contain_text(flagged.reference)
    assert flagged.last_name not in page.url and "search=" in page.url
    expect(page.locator("#searchbar")).to_have_value(flagged.last_name)

    page.click(f"text={flagged.reference}")
    expect(page.locator(".flags")).to_contain_text("HSV_ACTIVE")
    expect(page.locator(".standing-note").first).to_contain_text("does not mean cleared")
    expect(page.locator(".answers")).to_contain_text('<script>alert("x")</script>')
    assert_no_serious_axe_violations(page, "the submission page")
    snap(page, "submission", "provider")

    page.click("text=Acknowledge flags & decide")
    assert_no_serious_axe_violations(page, "the decision page")
    page.click("input[type=submit]")  # nothing acknowledged: refused
    expect(page.locator(".errorlist").first).to_contain_text("Acknowledge every priority flag")
    for box in page.locator('input[name="acknowledge"]').all():
        box.check()
    page.select_option("#id_modality", "non_ablative")
    page.select_option("#id_outcome", "proceed_with_conditions")
    page.fill("#id_notes", "Antiviral prophylaxis; test spot first.")
    page.click("input[type=submit]")

    expect(page.locator(".decisions")).to_contain_text("Proceed with conditions")
    decision = Decision.objects.get()
    assert decision.provider.user == doctor
    assert not flagged.flags.filter(severity="priority", acknowledged_at__isnull=True).exists()
    snap(page, "submission-decided", "provider")
