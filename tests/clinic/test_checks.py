"""System checks: a wrong setting stops `manage.py check` with a clear message, not a patient."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from screening import checks
from tests.manage_py import manage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 20 + "-a-real-secret-key-for-the-tests-only-" + "q" * 20,
    "DJANGO_ALLOWED_HOSTS": "prescreen.clinic.example",
}


def ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize(
    ("policy_json", "expected"),
    [
        ('{"bogus": 1}', "unknown keys ['bogus']"),
        ('{"isotretinoin_priority_months": "six"}', "must be a whole number of 0 or more"),
        ('{"isotretinoin_priority_months": -1}', "must be a whole number of 0 or more"),
        ('{"isotretinoin_priority_months": 24}', "cannot exceed isotretinoin_discuss_months"),
        ('["isotretinoin_priority_months"]', "must be a dict"),
        ('{"isotretinoin_priority_months": 12', "is not valid JSON: Expecting ',' delimiter"),
    ],
)
def test_manage_py_check_stops_on_a_bad_flag_policy_with_a_clear_message(policy_json, expected):
    result = manage("check", SCREENING_FLAG_POLICY_JSON=policy_json)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "SCREENING_FLAG_POLICY" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_valid_flag_policy_passes(settings):
    settings.SCREENING_FLAG_POLICY_JSON = '{"isotretinoin_priority_months": 3}'
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 3}
    assert checks.flag_policy_check() == []


def test_the_check_reads_the_policy_with_the_code_the_flags_use(settings):
    settings.SCREENING_FLAG_POLICY = {"adult_age_years": True}
    assert ids(checks.flag_policy_check()) == ["screening.E002"]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["physician", "nurse_practitioner"], []),
        (["nurse"], []),
        (["physician", "surgeon"], ["screening.E003"]),
        ([], ["screening.E004"]),
    ],
)
def test_priority_review_levels_must_be_provider_levels(settings, levels, expected):
    settings.SCREENING_PRIORITY_REVIEW_LEVELS = levels
    assert ids(checks.priority_review_levels_check()) == expected


@pytest.mark.parametrize(
    ("count", "tls_proxy", "expected"),
    [
        (0, False, []),
        (1, True, []),
        (2, False, []),
        (-1, False, ["screening.E005"]),
        (0, True, ["screening.E006"]),
    ],
)
def test_proxy_settings(settings, count, tls_proxy, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if tls_proxy else None
    assert ids(checks.proxy_settings_check()) == expected


def test_behind_a_tls_proxy_without_a_proxy_count_check_fails_in_production():
    result = manage("check", **PRODUCTION, DJANGO_BEHIND_TLS_PROXY="1")
    assert result.returncode == 1
    assert "screening.E006" in result.stderr


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return settings


def test_the_deploy_check_fails_without_collectstatic_then_passes(manifest_storage):
    missing = run_checks(include_deployment_checks=True)
    assert "screening.E007" in ids(missing)
    assert not any(m.id == "screening.E007" for m in run_checks(include_deployment_checks=False))
    call_command("collectstatic", interactive=False, verbosity=0)
    assert "screening.E007" not in ids(run_checks(include_deployment_checks=True))


def test_a_corrupt_manifest_is_reported(manifest_storage):
    manifest_storage.STATIC_ROOT.mkdir()
    (manifest_storage.STATIC_ROOT / "staticfiles.json").write_text("{not json")
    assert "screening.E008" in ids(checks.static_manifest_check())


def test_check_deploy_in_production_fails_without_collected_static_files(tmp_path):
    result = manage(
        "check", "--deploy", **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path / "nothing-here")
    )
    assert result.returncode == 1
    assert "screening.E007" in result.stderr
    assert "collectstatic" in result.stderr
