"""Start the Procfile's processes against PostgreSQL and Redis and walk through the site.

    make smoke                      # or: .venv/bin/python deploy/smoke.py [--procfile PATH]

Proves that the Procfile's lines, as written, run Onefix in production shape (issue 14,
item 1; docs/operations.md, "Processes"):

1. a fresh PostgreSQL database `onefix_smoke_<pid>` on the server of DATABASE_URL (or
   postgres://postgres@127.0.0.1:5432), dropped at the end; Redis from REDIS_URL (or
   redis://127.0.0.1:6379/9: give it a database of its own, as its four Celery queues
   and Django's cache keys there are emptied at the start and the end);
2. the `release` line (migrations, static files), then every other line, each in its
   own process group, with DEBUG off, a random SECRET_KEY and METRICS_TOKEN, web on a
   free 127.0.0.1 port with two gunicorn workers;
3. over HTTP against gunicorn: /healthz all green and every worker ready; the public
   pages and a collected static file; two customers and a staff member sign in through
   allauth's form (CSRF, cookies); the customers ask near-identical questions and the
   linking worker suggests a link between them; staff answers one and marks it official
   through the thread page's forms, and the mail worker writes the asker's email; beat
   keeps the jobs worker's heartbeat fresh; /metrics adds up both gunicorn workers and
   shows the outbox, and is a 404 without the token;
4. SIGTERM to every process group, SIGKILL to whatever is left; fails if a process
   exited before that, did not stop on SIGTERM with exit code 0 within 30 s, or
   gunicorn logged a 5xx (but /healthz's 503 before the first heartbeat).

The script stands in for the TLS proxy in front of gunicorn: it sends
X-Forwarded-Proto: https (trusted from 127.0.0.1, as behind nginx on the same machine),
so Django sees HTTPS and its Secure cookies flow. Each step prints its duration; the
whole run has a deadline (--deadline, 180 s). Exit 0 only if every step held. On a
failure the process logs are kept and their last lines printed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import pickle
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("celery", "mail", "linking", "health")  # settings.CELERY_TASK_QUEUES
HEARTBEAT_KEY = ":1:onefix:celery:heartbeat"  # config.celery.HEARTBEAT_KEY in Django's Redis cache
STOP_GRACE = 30.0  # seconds a process has to stop after SIGTERM (celery: warm shutdown)

# Two questions that ask the same thing in different words (tests/duplicates/linking_helpers.py).
QUESTION_A = (
    "Printer shows offline after the firmware update",
    "Since installing firmware 3.1 my LaserJet printer shows offline on Windows and nothing prints.",
)
QUESTION_B = (
    "LaserJet printer offline since firmware update",
    "After the firmware update the printer is offline and every print job waits forever.",
)


class SmokeError(Exception):
    pass


# --- time -----------------------------------------------------------------------------

START = time.monotonic()
DEADLINE = START + 180.0


def remaining() -> float:
    left = DEADLINE - time.monotonic()
    if left <= 0:
        raise SmokeError(f"the global deadline ({DEADLINE - START:.0f} s) passed")
    return left


def say(line: str) -> None:
    print(line, flush=True)


@contextlib.contextmanager
def step(name: str):
    began = time.monotonic()
    try:
        yield
    except Exception as error:
        failure = error if isinstance(error, SmokeError) else SmokeError(f"{type(error).__name__}: {error}")
        say(f"[{began - START:6.1f} s]  FAIL {time.monotonic() - began:6.1f} s  {name}")
        raise failure from error
    say(f"[{began - START:6.1f} s]  ok   {time.monotonic() - began:6.1f} s  {name}")


# --- the Procfile -------------------------------------------------------------------------


def read_procfile(path: Path) -> dict[str, str]:
    """Process types in file order, as Heroku and honcho read them: `name: command`,
    comments and blank lines skipped."""
    processes: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            if match[1] in processes:
                raise SmokeError(f"{path}: process type {match[1]!r} appears twice")
            processes[match[1]] = match[2].strip()
    for needed in ("release", "web", "beat"):
        if needed not in processes:
            raise SmokeError(f"{path} has no {needed!r} line")
    return processes


class Process:
    """One Procfile line running in its own process group, its output in a log file."""

    def __init__(self, name: str, command: str, env: dict[str, str], logs: Path):
        self.name, self.command = name, command
        self.log = logs / f"{name}.log"
        self.stopping = False
        # `exec`: the shell becomes the program, so the group's leader is gunicorn or
        # celery itself and its exit code is the program's.
        self.popen = subprocess.Popen(  # noqa: S603 - the Procfile's own line, as a platform runs it
            ["/bin/sh", "-c", f"exec {command}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def check_alive(self) -> None:
        code = self.popen.poll()
        if code is not None and not self.stopping:
            raise SmokeError(
                f"process {self.name!r} ({self.command}) exited with code {code} before the stop"
            )

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def wait_for(what: str, condition, processes: list[Process], timeout: float, every: float = 0.25, hint=None):
    """Poll `condition` until it returns something truthy; fail if a process dies first.
    `hint()` adds what may explain a time-out to the message."""
    until = time.monotonic() + min(timeout, remaining())
    while True:
        for process in processes:
            process.check_alive()
        result = condition()
        if result:
            return result
        if time.monotonic() >= until:
            raise SmokeError(f"{what}: not within {timeout:.0f} s" + (f" ({hint()})" if hint else ""))
        time.sleep(every)


# --- HTTP -----------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The forms of a page: action, fields with their values, each select's options as
    (value, label) pairs."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: list[str] | None = None  # [value, label] of the option being read

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}, "options": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
            self._form["options"][a["name"]] = []
        elif tag == "option" and self._select:
            self._option = [a.get("value", ""), ""]
            self._form["options"][self._select].append(self._option)
            if "selected" in a:
                self._form["fields"][self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data
        if self._option is not None:
            self._option[1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, action: str) -> dict:
    """The page's form whose action matches the regular expression `action`."""
    for form in forms_of(html):
        if re.fullmatch(action, form["action"]):
            return form
    actions = [f["action"] for f in forms_of(html)]
    raise SmokeError(f"no form with action {action!r} on the page (forms: {actions})")


class Response:
    def __init__(self, status: int, url: str, body: bytes, headers):
        self.status, self.url, self.body, self.headers = status, url, body, headers

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """A visitor with a cookie jar, behind the stand-in TLS proxy (see the module doc)."""

    def __init__(self, base: str):
        self.base = base
        # Django's cookies are Secure with DEBUG off; the proxy header makes this
        # connection HTTPS as far as Django knows, so send them here as a browser would.
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.origin = "https://" + urllib.parse.urlsplit(base).netloc

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Response:
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = {"X-Forwarded-Proto": "https", "User-Agent": "onefix-smoke"}
        if method == "POST":
            sent["Origin"] = self.origin  # what a browser sends; Django's CSRF check compares it
        sent.update(headers or {})
        req = urllib.request.Request(url, data=body, headers=sent, method=method)  # noqa: S310 - our own server
        try:
            with self.opener.open(req, timeout=min(20, remaining())) as resp:
                return Response(resp.status, resp.url, resp.read(), resp.headers)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.url, error.read(), error.headers)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, form: dict, **values) -> Response:
        fields = {**form["fields"], **values}
        return self.request("POST", form["action"], data=fields)

    def sign_in(self, email: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        expect(page, 200, "the sign-in page")
        form = find_form(page.text, r"/accounts/login/(\?.*)?")
        return self.submit(form, login=email, password=password)


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise SmokeError(
            f"{what}: HTTP {response.status}, expected {status} ({response.url})\n{response.text[:600]}"
        )
    return response


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- services -------------------------------------------------------------------------------


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return (
        url
        if url.startswith(("postgres://", "postgresql://"))
        else "postgres://postgres@127.0.0.1:5432/postgres"
    )


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def admin_connection(url: str) -> psycopg.Connection:
    return psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=5)


def clear_redis(client: redis.Redis) -> None:
    """Empty the Celery queues and Django's cache in this Redis database, so that nothing
    of an earlier run counts: messages for job ids a fresh database reuses, rate-limit
    counts of user ids it reuses, an old heartbeat. (Django's own cache.clear() would
    empty the whole database; this leaves keys of anything else alone.)"""
    # kombu's Redis transport keeps a queue as a list under its name (and one per
    # priority step: name + "\x06\x16" + n); Django's cache keys start with ":1:".
    client.delete(*QUEUES, *(f"{q}\x06\x16{n}" for q in QUEUES for n in range(1, 10)))
    keys = list(client.scan_iter(match=":1:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


# --- the run ---------------------------------------------------------------------------------


class Smoke:
    def __init__(self, procfile: Path):
        self.procfile = procfile
        self.tmp = Path(tempfile.mkdtemp(prefix="onefix-smoke-"))
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.processes: list[Process] = []
        self.database = f"onefix_smoke_{os.getpid()}"
        self.server = server_url()
        self.database_url = with_database(self.server, self.database)
        self.redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
        self.redis = redis.Redis.from_url(self.redis_url, socket_timeout=5)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(16)
        self.token = secrets.token_urlsafe(32)
        self.mail = self.tmp / "mail"
        self.access_log = self.logs / "access.log"
        self.prometheus = self.tmp / "prometheus"
        self.prometheus.mkdir()
        self.db: psycopg.Connection | None = None
        self.created = False
        venv_bin = str(Path(sys.executable).parent)  # gunicorn, celery, python: this venv's
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
            "PATH": venv_bin + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url,
            "DB_APPLICATION_NAME": "onefix-smoke",
            "REDIS_URL": self.redis_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.base,
            "EMAIL_URL": f"file://{self.mail}",
            "NOTIFY_COALESCE_SECONDS": "0",
            "SPAM_MIN_FILL_SECONDS": "0",
            "METRICS_TOKEN": self.token,
            "PROMETHEUS_MULTIPROC_DIR": str(self.prometheus),
            "WEB_CONCURRENCY": "2",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_ACCESS_LOG": str(self.access_log),
            "ONEFIX_DATA_DIR": str(self.tmp / "data"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "WORKER_LOG_LEVEL": "INFO",
        }
        self.env.pop("GUNICORN_BIND", None)

    # The journey ----------------------------------------------------------------------------

    def run(self) -> None:
        lines = read_procfile(self.procfile)
        services = [name for name in lines if name != "release"]
        say(f"smoke: {self.procfile}: {', '.join(lines)}")
        say(f"smoke: PostgreSQL {self.database} ({urllib.parse.urlsplit(self.server).netloc}), "
            f"Redis {self.redis_url}, web on {self.base}, files in {self.tmp}")  # fmt: skip

        with step("create the database; clear the Celery queues and the cache in Redis"):
            self.create_database()
            try:
                self.redis.ping()
            except redis.RedisError as error:
                raise SmokeError(f"Redis at {self.redis_url}: {error}") from error
            clear_redis(self.redis)  # and so /healthz turns green on this run's heartbeat only

        with step("release: " + lines["release"]):
            self.release(lines["release"])

        with step(f"start {', '.join(services)}; gunicorn answers"):
            for name in services:
                self.processes.append(Process(name, lines[name], self.env, self.logs))
            wait_for("gunicorn answering", self.answering, self.processes, 60)

        with step("/healthz: database, cache, broker and worker all green; every worker ready"):
            body = wait_for(
                "/healthz all green", self.healthy, self.processes, 60, every=0.5,
                hint=lambda: self.queue_hint("health"),
            )  # fmt: skip
            time.sleep(0.3)  # gunicorn writes the access line just after the response
            self.logged_before_green = len(self.access_log.read_text(encoding="utf-8").splitlines())
            if not all(body[k] is True for k in ("database", "cache", "broker", "worker")):
                raise SmokeError(f"/healthz: {body}")
            # Each worker stamps the heartbeat once when ready; after this, only beat does.
            wait_for("every worker saying it is ready", self.workers_ready, self.processes, 60, every=0.5)
            self.ready_at = time.time()

        anonymous = Browser(self.base)
        with step("anonymous pages: /, /questions/, /kb/, /search/?q=sync and a static file"):
            for path in ("/", "/questions/", "/kb/", "/search/?q=sync"):
                page = expect(anonymous.get(path), 200, f"GET {path}")
            home = anonymous.get("/").text
            static = re.search(r'href="(/static/[^"]+\.css)"', home)
            if not static:
                raise SmokeError("the home page links no stylesheet under /static/")
            if not re.search(r"\.[0-9a-f]{12}\.css$", static[1]):
                raise SmokeError(f"{static[1]} has no content hash: collectstatic's manifest not used")
            expect(anonymous.get(static[1]), 200, f"GET {static[1]} (whitenoise)")
            del page

        with step("set-up: two customers, a staff member, a category (manage.py shell)"):
            self.set_up()

        alice, dave, bob = Browser(self.base), Browser(self.base), Browser(self.base)
        with step("sign in through allauth's form (CSRF, cookies) as alice, dave and bob"):
            for browser, email, name in (
                (alice, "alice@smoke.example", "Alice"),
                (dave, "dave@smoke.example", "Dave"),
                (bob, "bob@smoke.example", "Bob"),
            ):
                page = expect(browser.sign_in(email, self.password), 200, f"signing in as {email}")
                if urllib.parse.urlsplit(page.url).path != "/" or name not in page.text:
                    raise SmokeError(f"signing in as {email} ended on {page.url} without their name")

        with step("alice and dave ask near-identical questions through the ask form"):
            first = self.ask(alice, QUESTION_A)
            second = self.ask(dave, QUESTION_B)

        with step("the linking worker suggests a link between them"):
            state = wait_for(
                "a link suggested by the linking worker",
                lambda: self.link_state(first, second),
                self.processes,
                30,
                hint=lambda: self.queue_hint("linking"),
            )
            if state not in ("suggested", "confirmed"):
                raise SmokeError(f"the link is {state!r}")

        with step("bob answers dave's question and marks the answer official"):
            self.answer_officially(bob, second)

        with step("the mail worker writes dave's email"):
            mail = wait_for("an email to dave", lambda: self.email_to("dave@smoke.example"),
                            self.processes, 30, hint=lambda: self.queue_hint("mail"))  # fmt: skip
            if QUESTION_B[0] not in mail:
                raise SmokeError("dave's email does not name his question")

        with step("beat keeps the heartbeat fresh, stamped by the jobs worker"):
            wait_for("a heartbeat stamped after every worker was ready", self.beat_heartbeat,
                     self.processes, 25, every=0.5)  # fmt: skip

        with step("/metrics: 404 without the token; with it, both gunicorn workers and the outbox"):
            self.check_metrics(anonymous)

        with step("SIGTERM every process group; each stops"):
            self.stop()

        with step("no 5xx in gunicorn's access log"):
            lines_ = self.access_log.read_text(encoding="utf-8").splitlines()
            if not lines_:
                raise SmokeError("the access log is empty")
            # /healthz says 503 until the jobs worker's first heartbeat: by design, and
            # only before it first turned green.
            errors = [
                line for i, line in enumerate(lines_)
                if re.search(r'" 5\d\d ', line)
                and not (i < self.logged_before_green and re.search(r'"GET /healthz HTTP/[\d.]+" 503 ', line))
            ]  # fmt: skip
            if errors:
                raise SmokeError("5xx answers:\n" + "\n".join(errors[:10]))

        with step(f"drop {self.database}"):
            self.drop_database()

    # The parts ------------------------------------------------------------------------------

    def create_database(self) -> None:
        with admin_connection(self.server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.created = True

    def drop_database(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.created:
            with admin_connection(self.server) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.created = False

    def release(self, command: str) -> None:
        log = self.logs / "release.log"
        with log.open("wb") as out:
            try:
                done = subprocess.run(  # noqa: S603 - the Procfile's own line
                    ["/bin/sh", "-c", command], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                    timeout=min(120, remaining()), start_new_session=True, check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired as error:
                raise SmokeError("the release line did not finish in time") from error
        if done.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise SmokeError(f"exit code {done.returncode}:\n{tail}")

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=min(60, remaining()), check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise SmokeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def answering(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def healthy(self) -> dict | None:
        response = Browser(self.base).get("/healthz")
        body = json.loads(response.text) if response.text.startswith("{") else {}
        self.last_health = body
        return body if response.status == 200 and body.get("status") == "ok" else None

    def set_up(self) -> None:
        code = (
            "from allauth.account.models import EmailAddress\n"
            "from accounts.models import User\n"
            "from forum.models import Category\n"
            "for email, name, role in [('alice@smoke.example', 'Alice', User.Role.CUSTOMER),\n"
            "        ('dave@smoke.example', 'Dave', User.Role.CUSTOMER),\n"
            "        ('bob@smoke.example', 'Bob', User.Role.STAFF)]:\n"
            "    user = User.objects.create_user(email=email, password=PASSWORD, display_name=name, role=role)\n"
            "    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)\n"
            "Category.objects.create(slug='printing', name='Printing')\n"
        ).replace("PASSWORD", repr(self.password))
        self.manage("shell", "-c", code)

    def ask(self, browser: Browser, question: tuple[str, str]) -> int:
        page = expect(browser.get("/questions/ask/"), 200, "the ask page")
        form = find_form(page.text, r"/questions/ask/")
        labels = {label: value for value, label in form["options"].get("category", [])}
        if "Printing" not in labels:
            raise SmokeError(f"the ask form offers no 'Printing' category: {labels}")
        title, body = question
        done = expect(
            browser.submit(
                form, title=title, body=body, category=labels["Printing"], tags="printing, firmware"
            ),
            200,
            f"asking {title!r}",
        )
        match = re.search(r"/questions/(\d+)/", urllib.parse.urlsplit(done.url).path)
        if not match or title not in done.text:
            raise SmokeError(f"asking {title!r} ended on {done.url}, not on the new thread")
        return int(match[1])

    def query(self, sql: str, *args) -> list[tuple]:
        if self.db is None:
            self.db = psycopg.connect(self.database_url, autocommit=True, connect_timeout=5)
        return self.db.execute(sql, args).fetchall()

    def queue_hint(self, queue: str) -> str:
        waiting = self.redis.llen(queue)
        jobs = self.query("SELECT kind, count(*) FROM jobs_pendingjob WHERE done_at IS NULL GROUP BY kind")
        return (
            f"{waiting} message(s) waiting in the {queue!r} queue: does a Procfile worker consume it "
            f"(-Q)? Jobs not done, by kind: {dict(jobs) or 'none'}"
        )

    def link_state(self, first: int, second: int) -> str | None:
        rows = self.query(
            "SELECT state FROM duplicates_duplicatelink WHERE low_id = %s AND high_id = %s",
            min(first, second), max(first, second),
        )  # fmt: skip
        return rows[0][0] if rows else None

    def answer_officially(self, staff: Browser, thread_id: int) -> None:
        page = expect(staff.get(f"/questions/{thread_id}/"), 200, "the thread page")
        form = find_form(page.text, rf"/questions/{thread_id}/answer/")
        answer = "Turn the printer off and on again, then reinstall the 3.1 driver from the support page."
        page = expect(staff.submit(form, body=answer), 200, "posting the answer")
        if answer not in page.text:
            raise SmokeError("the answer is not on the thread page after posting it")
        form = find_form(page.text, r"/questions/answers/(\d+)/official/")
        post_id = int(re.search(r"/answers/(\d+)/", form["action"])[1])
        page = expect(staff.submit(form), 200, "marking the answer official")
        if "Unmark official" not in page.text:
            raise SmokeError("the thread page does not show the answer as official")
        if self.query("SELECT is_official FROM forum_post WHERE id = %s", post_id) != [(True,)]:
            raise SmokeError(f"answer {post_id} is not official in the database")

    def email_to(self, address: str) -> str | None:
        if not self.mail.is_dir():
            return None
        for path in sorted(self.mail.glob("*.eml")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if re.search(rf"^To: .*{re.escape(address)}", text, re.MULTILINE):
                return text
        return None

    def workers_ready(self) -> bool:
        """Every worker line has logged Celery's "<name>@<host> ready." (at INFO)."""
        workers = [p for p in self.processes if " worker " in f" {p.command} "]
        return bool(workers) and all(
            re.search(r"@\S+ ready\.", p.log.read_text(encoding="utf-8", errors="replace")) for p in workers
        )

    def beat_heartbeat(self) -> bool:
        """A stamp written well after every worker was ready: the stamps they ask for when
        ready are older, so this one was queued by beat; and a process of the jobs
        worker's group wrote it (the `health` queue is that worker's)."""
        raw = self.redis.get(HEARTBEAT_KEY)
        if raw is None:
            return False
        stamp = pickle.loads(raw)  # noqa: S301 - Django's cache in our own Redis
        jobs = next((p for p in self.processes if p.name == "jobs"), None)
        if jobs is None:
            raise SmokeError("the Procfile has no 'jobs' worker")
        if stamp["at"] < self.ready_at + 5:
            return False
        try:
            group = os.getpgid(stamp["pid"])
        except ProcessLookupError:
            return False
        if group != jobs.pid:
            raise SmokeError(f"the heartbeat was stamped by pid {stamp['pid']}, not a process of 'jobs'")
        return True

    def check_metrics(self, anonymous: Browser) -> None:
        expect(anonymous.get("/metrics"), 404, "/metrics without a token")
        expect(anonymous.get("/metrics", headers={"Authorization": "Bearer wrong"}), 404,
               "/metrics with a wrong token")  # fmt: skip
        # A burst of parallel requests, so both sync workers serve some.
        workers = {}
        for _ in range(5):
            threads = [threading.Thread(target=anonymous.get, args=("/questions/",)) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            workers = self.requests_by_process()
            if len([n for n in workers.values() if n > 0]) >= 2:
                break
        busy = {pid: n for pid, n in workers.items() if n > 0}
        if len(busy) < 2:
            raise SmokeError(f"requests counted by one process only: {workers}")
        time.sleep(0.3)  # gunicorn writes the access line just after the response
        served = len(self.access_log.read_text(encoding="utf-8").splitlines())
        page = expect(
            Browser(self.base).get("/metrics", headers={"Authorization": f"Bearer {self.token}"}),
            200, "/metrics with the token",
        )  # fmt: skip
        text = page.text
        total = sum(
            float(m[1])
            for m in re.finditer(r"^django_http_requests_before_middlewares_total (\S+)$", text, re.M)
        )
        # every request gunicorn logged, plus this one (counted before its view ran) ...
        if total != served + 1:
            raise SmokeError(f"/metrics counts {total:.0f} requests; gunicorn logged {served} before it")
        # ... and the sum of what each worker process counted in its own file
        each = self.requests_by_process()
        if total != sum(each.values()):
            raise SmokeError(f"/metrics counts {total:.0f} requests, the workers' files {each}")
        for name in (
            "onefix_jobs_waiting",
            "onefix_queue_depth",
            "django_http_responses_total_by_status_total",
        ):
            if f"# TYPE {name}" not in text and f"# TYPE {name.removesuffix('_total')}" not in text:
                raise SmokeError(f"/metrics has no {name}")
        for queue in QUEUES:
            if f'onefix_queue_depth{{queue="{queue}"}}' not in text:
                raise SmokeError(f"/metrics has no depth for the {queue!r} queue")
        self.metrics_summary = f"{total:.0f} requests over {len(busy)} workers {sorted(busy.values())}"

    def requests_by_process(self) -> dict[int, float]:
        """django_http_requests_before_middlewares_total as each process's own file holds it."""
        from prometheus_client.multiprocess import MultiProcessCollector

        counts = {}
        for path in self.prometheus.glob("counter_*.db"):
            pid = int(path.stem.split("_")[1])
            for metric in MultiProcessCollector.merge([str(path)]):
                if metric.name == "django_http_requests_before_middlewares":
                    counts[pid] = sum(s.value for s in metric.samples if s.name.endswith("_total"))
        return counts

    def stop(self) -> None:
        for process in self.processes:
            process.check_alive()
        for process in self.processes:
            process.stopping = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        until = time.monotonic() + STOP_GRACE
        stubborn = []
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, until - time.monotonic()))
            except subprocess.TimeoutExpired:
                stubborn.append(process.name)
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # pool processes left behind, if any
            process.popen.wait()
        codes = ", ".join(f"{p.name} {p.popen.returncode}" for p in self.processes)
        if stubborn:
            raise SmokeError(
                f"still running {STOP_GRACE:.0f} s after SIGTERM: {', '.join(stubborn)} ({codes})"
            )
        # gunicorn's graceful stop and Celery's warm shutdown both end with 0
        if any(p.popen.returncode != 0 for p in self.processes):
            raise SmokeError(f"exit codes after SIGTERM: {codes}")
        self.exit_codes = codes

    def kill_all(self) -> None:
        """After a failure: stop whatever still runs, without judging it."""
        for process in self.processes:
            process.stopping = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        until = time.monotonic() + 10
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=max(0.1, until - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.popen.wait()

    def clean_up(self, passed: bool) -> None:
        self.kill_all()
        with contextlib.suppress(redis.RedisError):
            clear_redis(self.redis)
        try:
            self.drop_database()
        except psycopg.Error as error:
            say(f"smoke: could not drop {self.database}: {error}")
        if passed:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> int:
    global DEADLINE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procfile", type=Path, default=ROOT / "Procfile")
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds for the whole run")
    args = parser.parse_args()
    DEADLINE = START + args.deadline
    smoke = Smoke(args.procfile.resolve())
    passed = False
    try:
        smoke.run()
        passed = True
    except SmokeError as failure:
        say(f"\nsmoke: FAILED: {failure}")
        if getattr(smoke, "last_health", None):
            say(f"smoke: last /healthz: {smoke.last_health}")
        for process in smoke.processes:
            say(f"\n--- {process.name}: {process.command}\n{process.tail()}")
        say(f"\nsmoke: logs kept in {smoke.logs}")
    except KeyboardInterrupt:
        say("\nsmoke: interrupted")
    finally:
        smoke.clean_up(passed)
    took = time.monotonic() - START
    if passed:
        say(
            f"smoke: passed in {took:.1f} s ({smoke.metrics_summary}; exit codes after SIGTERM: {smoke.exit_codes})"
        )
        return 0
    say(f"smoke: failed after {took:.1f} s")
    return 1


if __name__ == "__main__":
    sys.exit(main())
