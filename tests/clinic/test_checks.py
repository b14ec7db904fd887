"""System checks: a wrong setting stops `manage.py check` with a clear message, not a patient."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from screening import checks
from tests.fresh_settings import PRODUCTION
from tests.manage_py import manage


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


@pytest.mark.parametrize("variable", sorted(checks.DEMO_SETTINGS))
def test_check_deploy_refuses_each_demo_value_naming_its_variable(variable, tmp_path):
    own = {key: value for key, value in PRODUCTION.items() if key != variable}
    result = manage("check", "--deploy", **own, DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 1
    assert "screening.E009" in result.stderr
    assert f"{variable} still holds the demo clinic's value" in result.stderr
    assert result.stderr.count("screening.E009") == 1


def test_check_deploy_accepts_the_clinics_own_values(tmp_path):
    result = manage("check", "--deploy", **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path))
    assert "screening.E009" not in result.stderr


def test_the_public_base_url_is_refused_while_either_address_keeps_the_demo(tmp_path):
    own = {key: value for key, value in PRODUCTION.items() if key != "SCREENING_PUBLIC_BASE_URL"}
    result = manage(
        "check",
        "--deploy",
        **own,
        SCREENING_PATIENT_BASE_URL="https://forms.clinic.example",
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    assert "(in SCREENING_STAFF_BASE_URL)" in result.stderr


def test_demo_values_are_fine_in_debug(settings):
    settings.DEBUG = True
    assert checks.demo_values_check() == []


def test_admins_come_from_the_environment():
    from tests.fresh_settings import load_settings

    loaded = load_settings(**PRODUCTION, DJANGO_ADMINS="Ops Desk <ops@clinic.org>, it@clinic.org")
    assert loaded["ADMINS"] == [["Ops Desk", "ops@clinic.org"], ["it@clinic.org", "it@clinic.org"]]
