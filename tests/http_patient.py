"""A patient driving the questionnaire over real HTTP (cookies, CSRF), for scale-out tests and the
benchmark's HTTP mode. `bases` may name several app processes: requests alternate between them."""

from __future__ import annotations

import http.cookiejar
import itertools
import re
import urllib.error
import urllib.parse
import urllib.request

from screening.questionnaire import SECTIONS
from tests.patient import post_data_for

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpPatient:
    def __init__(self, *bases: str):
        self.bases = itertools.cycle(bases)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        base = next(self.bases)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body,
                                         headers={"Referer": base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> str:
        return self.request(path)[1]

    def post(self, path: str, data: dict, token_from: str) -> int:
        token = TOKEN.search(self.get(token_from))[1]
        return self.request(path, {**data, "csrfmiddlewaretoken": token})[0]

    def answer_everything(self, answers: dict) -> None:
        assert self.post("/start/", {}, token_from="/") == 302
        for section in SECTIONS:
            path = f"/questions/{section.slug}/"
            status = self.post(path, {**post_data_for(section, answers), "nav": "next"},
                               token_from=path)
            assert status == 302, (section.key, status)
