"""The rate limit of the patient's POSTs: a token bucket per client address, in the database."""

import hashlib
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.db import connection, connections
from django.test import RequestFactory

from screening.models import Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, start, step_url
from throttle import buckets
from throttle.models import Bucket

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0


@pytest.fixture
def limit(settings):
    """30 a minute (one token every 2 seconds), 3 at once."""
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 30
    settings.SCREENING_RATE_LIMIT_BURST = 3
    return settings


def test_a_bucket_allows_the_burst_then_refuses(limit):
    assert [buckets.take("k", now=NOW) for _ in range(4)] == [True, True, True, False]


def test_a_bucket_refills_at_the_rate_and_no_further_than_the_burst(limit):
    for _ in range(3):
        buckets.take("k", now=NOW)
    assert buckets.take("k", now=NOW + 1.9) is False  # not yet a whole token
    assert buckets.take("k", now=NOW + 2.0) is True
    assert buckets.take("k", now=NOW + 2.0) is False
    # An hour idle refills to the burst, not to 1800 tokens.
    later = NOW + 3600
    assert [buckets.take("k", now=later) for _ in range(4)] == [True, True, True, False]


def test_buckets_are_separate_per_key(limit):
    for _ in range(3):
        buckets.take("a", now=NOW)
    assert buckets.take("a", now=NOW) is False
    assert buckets.take("b", now=NOW) is True


def test_a_clock_going_backwards_does_not_add_tokens(limit):
    for _ in range(3):
        buckets.take("k", now=NOW)
    assert buckets.take("k", now=NOW - 3600) is False


# --- Through the patient's path ------------------------------------------------------------------


def _first_step_post(client):
    return client.post(
        step_url(current().first_visit_sections[0]),
        {**post_data_for(current().first_visit_sections[0], full_answers()), "nav": "next"},
    )


def test_step_posts_over_the_limit_get_the_429_page_and_keep_the_draft(client, limit):
    start(client)
    for _ in range(3):
        assert _first_step_post(client).status_code == 302
    draft_before = client.session["screening_draft"]
    response = client.post(
        step_url(current().first_visit_sections[1]), {"goals_text": "Lost?", "nav": "next"}
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "2"
    page = response.content.decode()
    assert "Please wait a moment" in page
    assert "The answers you had already saved are kept" in page
    assert "no-store" in response["Cache-Control"]
    assert client.session["screening_draft"] == draft_before  # untouched, not even its clock
    assert "Lost?" not in str(client.session["screening_draft"])
    # GETs are not limited: the patient can still read their pages.
    assert client.get(step_url(current().first_visit_sections[1])).status_code == 200


def test_the_final_submit_over_the_limit_saves_nothing_and_keeps_the_draft(client, settings):
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 1
    settings.SCREENING_RATE_LIMIT_BURST = len(current().first_visit_sections)  # exactly the steps
    answer_all_steps(client, full_answers())
    draft_before = client.session["screening_draft"]
    response = client.post("/review/", SIGNED)
    assert response.status_code == 429
    assert Submission.objects.count() == 0
    assert client.session["screening_draft"] == draft_before
    assert client.get("/review/").status_code == 200


def test_the_429_page_is_in_the_patients_language_and_all_its_words_translatable(client, limit):
    start(client)
    for _ in range(3):
        _first_step_post(client)
    response = client.post(
        step_url(current().first_visit_sections[0]), {"nav": "next"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 429
    assert '<html lang="es">' in response.content.decode()
    source = (Path(project_settings.BASE_DIR) / "templates" / "429.html").read_text()
    translated = re.sub(r"{%\s*translate\s+\"[^\"]*\"\s*%}", "", source)
    bare_text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", "", translated)
    assert bare_text.strip() == ""


def test_a_forged_x_forwarded_for_does_not_reset_the_count(client, limit):
    start(client)
    for _ in range(3):
        _first_step_post(client)
    for forged in ("203.0.113.9", "198.51.100.1, 203.0.113.10", "garbage"):
        response = client.post(
            step_url(current().first_visit_sections[0]),
            {"nav": "next"},
            HTTP_X_FORWARDED_FOR=forged,
        )
        assert response.status_code == 429, forged


def test_behind_one_proxy_the_entry_it_appended_counts_not_the_ones_before(client, limit):
    limit.TRUSTED_PROXY_COUNT = 1
    start(client)
    for number in range(3):  # the client forges a different left-hand entry every time
        response = client.post(
            step_url(current().first_visit_sections[0]),
            {"nav": "next"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.7",
        )
        assert response.status_code == 200
    refused = client.post(
        step_url(current().first_visit_sections[0]),
        {"nav": "next"},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7",
    )
    assert refused.status_code == 429
    # Another client behind the same proxy has a bucket of its own.
    other = client.post(
        step_url(current().first_visit_sections[0]),
        {"nav": "next"},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1", "192.0.2.1"),
        (1, "203.0.113.9", "10.0.0.2", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.2", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.3", "10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2", "10.0.0.2"),  # fewer entries than proxies: not via them
        (1, "", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_the_client_address(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/review/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert buckets.client_address(request) == expected


def test_only_an_hmac_of_the_address_is_stored(client, limit, settings):
    start(client)
    _first_step_post(client)
    bucket = Bucket.objects.exclude(key=buckets.bucket_key("127.0.0.1", scope="start")).get()
    assert bucket.key == buckets.bucket_key("127.0.0.1")
    assert len(bucket.key) == 64 and int(bucket.key, 16) >= 0
    assert bucket.key != hashlib.sha256(b"127.0.0.1").hexdigest()  # keyed, not a plain hash
    stored = " ".join(str(value) for value in Bucket.objects.values_list())
    assert "127.0.0.1" not in stored
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert buckets.bucket_key("127.0.0.1") != bucket.key


def test_one_ipv6_client_network_shares_a_bucket():
    assert buckets.bucket_key("2001:db8:1:2::1") == buckets.bucket_key("2001:db8:1:2:ffff::9")
    assert buckets.bucket_key("2001:db8:1:2::1") != buckets.bucket_key("2001:db8:1:3::1")
    assert buckets.bucket_key("::ffff:192.0.2.1") == buckets.bucket_key("192.0.2.1")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_takes_never_hand_out_more_than_the_burst(limit):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL")
    results = []
    barrier = threading.Barrier(12)

    def take():
        try:
            barrier.wait()
            results.append(buckets.take("shared", now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 9 + [True] * 3
    assert Bucket.objects.get(key="shared").tokens == pytest.approx(0)
