"""The mixed load of issue 14 for locust; started by bench/load_bench.py (which builds the
data and writes the file ONEFIX_LOAD_DATA names: thread ids, answer ids, KB paths,
search words, categories and the members' emails).

Two kinds of people, each waiting 1-3 s between steps:
- Visitor (weight 8, not signed in): lists, thread pages, KB articles, search, home.
- Member (weight 2, signed in through the real log-in form): reads like a visitor, and
  writes: "me too", "helpful", an answer, a comment, a new question.

With these weights and task weights the requests come out at about 80 % reads, 15 %
signed-in actions and 5 % new questions (the script prints the real split).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["ONEFIX_LOAD_DATA"]).read())  # noqa: SIM115
_members = itertools.cycle(DATA["members"])
_asked = itertools.count(1)
_written = itertools.count(1)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Reader:
    def read_thread(self):
        self.client.get(f"/questions/{random.choice(DATA['threads'])}/", name="thread")

    def read_list(self):
        self.client.get(
            random.choice(["/questions/", "/questions/?page=2", "/questions/?show=solved"]), name="list"
        )

    def read_kb(self):
        self.client.get(random.choice(DATA["articles"]), name="kb article")

    def search(self):
        self.client.get(f"/search/?q={random.choice(DATA['words'])}", name="search")

    def home(self):
        self.client.get("/", name="home")


class Visitor(Reader, HttpUser):
    weight = 8
    wait_time = between(1, 3)

    @task(6)
    def t_thread(self):
        self.read_thread()

    @task(2)
    def t_list(self):
        self.read_list()

    @task(2)
    def t_kb(self):
        self.read_kb()

    @task(1)
    def t_search(self):
        self.search()

    @task(1)
    def t_home(self):
        self.home()


class Member(Reader, HttpUser):
    """Signed in. The site runs as in production (DEBUG off: secure cookies, HTTPS behind
    a proxy), so each request says what the TLS proxy would (X-Forwarded-Proto, a
    same-site Referer) and carries the cookies by hand: plain HTTP would not send
    cookies marked Secure."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.email = next(_members)
        page = self._get("/accounts/login/", "log in (form)")
        self._post(
            "/accounts/login/",
            {"login": self.email, "password": DATA["password"], "csrfmiddlewaretoken": _token(page.text)},
            "log in",
        )

    def _headers(self, path: str) -> dict:
        host = self.host.split("://", 1)[1]
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        return {"X-Forwarded-Proto": "https", "Referer": f"https://{host}{path}", "Cookie": cookies}

    def _get(self, path: str, name: str):
        return self.client.get(path, name=name, headers=self._headers(path))

    def _post(self, url: str, data: dict, name: str):
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        with self.client.post(
            url, data, name=name, headers=self._headers(url), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            return response

    def read_thread(self):
        self._get(f"/questions/{random.choice(DATA['threads'])}/", "thread (signed in)")

    def read_list(self):
        self._get(random.choice(["/questions/", "/questions/?page=2"]), "list (signed in)")

    def search(self):
        self._get(f"/search/?q={random.choice(DATA['words'])}", "search (signed in)")

    @task(4)
    def t_thread(self):
        self.read_thread()

    @task(1)
    def t_list(self):
        self.read_list()

    @task(1)
    def t_search(self):
        self.search()

    @task(3)
    def me_too(self):
        self._post(f"/questions/{random.choice(DATA['threads'])}/me-too/", {}, "me too")

    @task(3)
    def helpful(self):
        self._post(f"/questions/answers/{random.choice(DATA['answers'])}/helpful/", {}, "helpful")

    @task(1)
    def answer(self):
        self._post(
            f"/questions/{random.choice(DATA['threads'])}/answer/",
            # each text different: the spam check refuses one author's same text twice in a row
            {
                "body": f"Under load ({next(_written)}): signing out and in again fixed it, then a full resync."
            },
            "answer",
        )

    @task(1)
    def comment(self):
        self._post(
            f"/questions/{random.choice(DATA['threads'])}/comment/",
            {"comment": f"Which version are you on? Mine is the latest ({next(_written)})."},
            "comment",
        )

    @task(2)
    def ask(self):
        form = self._get("/questions/ask/", "ask (form)")
        n = next(_asked)
        topic = random.choice(DATA["topics"])
        self._post(
            "/questions/ask/",
            {
                "title": f"{topic} (load test {os.getpid()}-{n})",
                "body": f"{topic}. It started after the last update; I tried restarting. Attempt {n}.",
                "category": random.choice(DATA["categories"]),
                "tags": "sync",
                "csrfmiddlewaretoken": _token(form.text),
            },
            "ask",
        )


def _token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""
