"""A task for the broker stress test; the worker loads it with `--include`.

Each message's effect is a file of its own, created with O_EXCL: a message
delivered twice leaves a line in `duplicates.txt` instead of passing unseen.
"""

from __future__ import annotations

import os

from config.celery import app

TOUCH = "tests.config.touch"


@app.task(name=TOUCH, time_limit=10, ignore_result=True)
def touch(folder: str, key: str) -> None:
    try:
        fd = os.open(os.path.join(folder, key), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        with open(os.path.join(folder, "duplicates.txt"), "a") as f:
            f.write(key + "\n")
        return
    os.close(fd)
