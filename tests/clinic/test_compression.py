"""The patient's pages are sent gzip-compressed to a browser that accepts it; the staff's are not
(clinic/compression.py: BREACH considered)."""

import gzip
import re

import pytest

from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import SIGNED, answer_all_steps, start, step_url

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
PROBE = "zq7xbreachprobe"


def without_token(html: bytes) -> bytes:
    """The page with its CSRF token taken out: Django masks the token anew in every response."""
    return CSRF_TOKEN.sub(b"", html)


def patient_pages(client) -> list[str]:
    """Every patient page, visited as a patient meets it; the paths, to fetch again."""
    pages = ["/", "/privacy/"]
    start(client)
    pages += [step_url(section) for section in current().first_visit_sections]
    answer_all_steps(client, full_answers())
    pages.append("/review/")
    assert client.post("/review/", SIGNED).status_code == 302
    pages.append("/thank-you/")
    return pages


def test_a_step_is_compressed_and_decodes_to_the_page_sent_uncompressed(client):
    start(client)
    path = step_url(current().first_visit_sections[0])
    plain = client.get(path)
    compressed = client.get(path, **GZIP)

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    assert without_token(gzip.decompress(compressed.content)) == without_token(plain.content)


def test_every_patient_page_is_compressed(client):
    for path in patient_pages(client):
        response = client.get(path, **GZIP)
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path


def test_the_compressed_pages_carry_django_s_random_padding(client):
    """Heal The BREACH: a file name of random length in every gzip header (FNAME flag set)."""
    response = client.get("/privacy/", **GZIP)
    assert response.content[3] & gzip.FNAME


def test_no_patient_page_echoes_the_query_string(client):
    """BREACH needs attacker-chosen text beside the secret: the patient's pages take none from
    the query string, and an error page, which names the path asked for, is not compressed."""
    for path in patient_pages(client):
        response = client.get(f"{path}?q={PROBE}&{PROBE}=1")
        assert PROBE not in response.content.decode(), path
    unknown_step = client.get(f"/questions/{PROBE}/", **GZIP)
    assert unknown_step.status_code == 404
    assert "Content-Encoding" not in unknown_step  # it names the path typed: never compressed


def test_staff_pages_are_not_compressed(client, doctor):
    """The admin echoes its search terms beside patients' details: BREACH's setting."""
    assert "Content-Encoding" not in client.get("/staff/login/", **GZIP)
    client.force_login(doctor)
    response = client.get(f"/staff/screening/submission/?q={PROBE}", follow=True, **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert PROBE in response.content.decode()  # the echo that rules compression out here
