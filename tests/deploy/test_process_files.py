"""The Procfile and the systemd units in deploy/ agree with the settings and with each
other: every Celery queue has exactly one worker family, there is one beat, the units
stop Celery warmly and run as their own user (issue 14, item 1). The smoke journey
(test_smoke.py) proves the Procfile's lines run; these checks need no service."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
FAMILIES = ("linking", "mail", "jobs")


def procfile() -> dict[str, str]:
    lines = {}
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            assert match[1] not in lines, f"{match[1]} twice in the Procfile"
            lines[match[1]] = match[2]
    return lines


def option(command: str, *names: str) -> str | None:
    words = shlex.split(command)
    for i, word in enumerate(words[:-1]):
        if word in names:
            return words[i + 1]
    return None


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values]}} (keys like ExecStart may repeat)."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = ""
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        sections[section][key].append(value)
    return sections


def env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value.strip('"')
    return values


def workers() -> dict[str, str]:
    return {name: cmd for name, cmd in procfile().items() if " worker " in f" {cmd} "}


def test_every_celery_queue_is_consumed_by_exactly_one_worker_family():
    consumed: dict[str, list[str]] = defaultdict(list)
    for name, command in workers().items():
        for queue in option(command, "-Q", "--queues").split(","):
            consumed[queue].append(name)
    declared = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert set(consumed) == declared, "a queue with no worker, or a worker on a queue nobody sends to"
    assert all(len(names) == 1 for names in consumed.values()), dict(consumed)
    assert set(workers()) == set(FAMILIES)


def test_each_worker_family_has_its_own_node_name():
    names = [option(command, "-n", "--hostname") for command in workers().values()]
    assert all(names) and len(set(names)) == len(names), names


def test_exactly_one_beat_and_no_worker_runs_beat():
    lines = procfile()
    beats = [name for name, command in lines.items() if re.search(r"celery -A config beat\b", command)]
    assert beats == ["beat"]
    for command in workers().values():
        assert not {"-B", "--beat"} & set(shlex.split(command)), command
    assert "ONEFIX_DATA_DIR" in option(lines["beat"], "--schedule", "-s")


def test_the_release_line_migrates_and_collects_static_files():
    steps = [s.strip() for s in procfile()["release"].split("&&")]
    assert steps[0] == "python manage.py migrate --noinput"
    assert "python manage.py collectstatic --noinput" in steps


def test_the_systemd_release_unit_runs_the_procfile_release_line():
    runs = unit("onefix-release.service")["Service"]["ExecStart"]
    steps = [s.strip() for s in procfile()["release"].split("&&")]
    assert [r.replace("/srv/onefix/.venv/bin/python", "python") for r in runs] == steps


def test_each_systemd_worker_family_matches_its_procfile_line():
    template = unit("onefix-worker@.service")["Service"]
    assert "/srv/onefix/deploy/worker-%i.env" in template["EnvironmentFile"]
    for family, command in workers().items():
        values = env_file(DEPLOY / f"worker-{family}.env")
        assert values["WORKER_QUEUES"] == option(command, "-Q")
        # the Procfile's default, e.g. ${LINKING_CONCURRENCY:-2}
        assert option(command, "--concurrency").endswith(f":-{values['WORKER_CONCURRENCY']}}}")


def test_units_stop_celery_warmly_restart_on_failure_and_never_run_as_root():
    longest_job = max(
        settings.JOBS_EMAIL_TIME_LIMIT, settings.JOBS_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT
    )
    for name in ("onefix-web.service", "onefix-worker@.service", "onefix-beat.service"):
        service = unit(name)["Service"]
        assert service["Restart"] == ["on-failure"], name
        assert service["User"] == ["onefix"] and service["Group"] == ["onefix"], name
        assert service["KillMode"] == ["mixed"], name  # SIGTERM to the main process only
        assert service["EnvironmentFile"][0] == "/etc/onefix/onefix.env", name
    worker = unit("onefix-worker@.service")["Service"]
    assert int(worker["TimeoutStopSec"][0]) > longest_job  # a warm shutdown never cuts a job
    assert "--beat" not in worker["ExecStart"][0]
    assert unit("onefix-release.service")["Service"]["User"] == ["onefix"]


def test_the_web_unit_gives_prometheus_a_fresh_runtime_folder():
    web = unit("onefix-web.service")["Service"]
    folder = web["RuntimeDirectory"][0]
    assert web["Environment"] == [f"PROMETHEUS_MULTIPROC_DIR=/run/{folder}"]
    assert web["ExecStart"] == ["/srv/onefix/.venv/bin/gunicorn -c python:config.gunicorn config.wsgi"]
    assert procfile()["web"] == "gunicorn -c python:config.gunicorn config.wsgi"


def test_the_environment_example_names_what_production_needs():
    values = env_file(DEPLOY / "onefix.env.example")
    needed = {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL", "EMAIL_URL",
        "METRICS_TOKEN", "SENTRY_DSN", "ONEFIX_DATA_DIR", "STATIC_ROOT", "WORKER_LOG_LEVEL",
    }  # fmt: skip
    assert needed <= set(values), sorted(needed - set(values))
    assert values["DEBUG"] == "false"
    # set by onefix-web.service: a value in the shared file would override the unit's
    assert "PROMETHEUS_MULTIPROC_DIR" not in values


def test_systemd_accepts_the_units(tmp_path):
    """systemd's own parser, where it is installed (Debian's systemd here and in CI):
    paths are pointed at this checkout so the executables exist."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # nothing to run it with; the checks above still hold
    (tmp_path / "onefix.env").write_text((DEPLOY / "onefix.env.example").read_text(encoding="utf-8"))
    for path in DEPLOY.glob("*.service"):
        text = path.read_text(encoding="utf-8").replace(
            "/etc/onefix/onefix.env", str(tmp_path / "onefix.env")
        )
        (tmp_path / path.name).write_text(text.replace("/srv/onefix", str(ROOT)))
    (tmp_path / "onefix-worker@linking.service").write_text((tmp_path / "onefix-worker@.service").read_text())
    names = [
        "onefix-web.service",
        "onefix-beat.service",
        "onefix-release.service",
        "onefix-worker@linking.service",
    ]
    done = subprocess.run(  # noqa: S603 - systemd's own tool on our files
        [analyze, "verify", *[str(tmp_path / n) for n in names]], capture_output=True, text=True, check=False
    )
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if str(tmp_path) in line]
    assert done.returncode == 0 and not complaints, done.stdout + done.stderr
