"""config/gunicorn.py's own hooks and defaults (issue 14, item 1)."""

from __future__ import annotations

import importlib

import pytest

import config.gunicorn


@pytest.fixture(autouse=True)
def _fresh_module(monkeypatch):
    yield
    monkeypatch.undo()
    importlib.reload(config.gunicorn)  # as the real environment has it, for later tests


def _load(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(config.gunicorn)


def test_a_start_empties_the_prometheus_folder_of_an_earlier_run(monkeypatch, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"old counts")
    (folder / "notes.txt").write_text("not ours")
    conf = _load(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(folder))
    conf.on_starting(None)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_start_creates_a_missing_prometheus_folder(monkeypatch, tmp_path):
    conf = _load(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "new"))
    conf.on_starting(None)
    assert (tmp_path / "new").is_dir()


def test_no_control_socket_in_the_home_folder_unless_asked(monkeypatch, tmp_path):
    monkeypatch.delenv("WEB_CONTROL_SOCKET", raising=False)
    conf = _load(monkeypatch)
    assert conf.control_socket_disable is True
    conf = _load(monkeypatch, WEB_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"))
    assert conf.control_socket_disable is False
    assert conf.control_socket == str(tmp_path / "gunicorn.ctl")


def test_gunicorn_reads_the_hooks(monkeypatch):
    """The names are gunicorn's settings, so a typo does not silently do nothing."""
    from gunicorn.config import Config

    known = Config().settings
    for name in ("on_starting", "child_exit", "control_socket", "control_socket_disable", "accesslog"):
        assert name in known, name
