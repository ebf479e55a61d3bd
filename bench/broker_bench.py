#!/usr/bin/env python
"""Filesystem broker under concurrent writers: kombu's transport against config.broker.

A stand-alone reproduction of kombu issue #1551 (no Django, no Celery worker):
--writers processes each publish --messages messages of about 1 KB (the size of a
Celery task message) to one queue through kombu's public API, while one reader
(this process) takes them with `basic_get` as fast as it can. The reader counts

- decode errors: `_get` raised ValueError (JSONDecodeError) — in a Celery worker
  this is "Unrecoverable error: JSONDecodeError" and the worker exits;
- lost: published but never received (kombu deletes a file it failed to decode);
- duplicates: received twice;
- set aside: files config.broker moved to failed/ (it never raises).

Throughput is messages received per second, from the writers' start to the last
message. Each run uses a fresh temporary folder.

  .venv/bin/python bench/broker_bench.py --transport stock
  .venv/bin/python bench/broker_bench.py --transport atomic
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRANSPORTS = {
    "stock": "kombu.transport.filesystem:Transport",
    "atomic": "config.broker:Transport",
}
QUEUE = "bench"


def _connection(transport: str, folder: str):
    from kombu import Connection

    queue_folder = os.path.join(folder, "queue")
    return Connection(
        "filesystem://",
        transport=TRANSPORTS[transport],
        transport_options={
            "data_folder_in": queue_folder,
            "data_folder_out": queue_folder,
            "control_folder": os.path.join(folder, "control"),
        },
    )


def _queue():
    from kombu import Exchange, Queue

    return Queue(QUEUE, Exchange(QUEUE, type="direct"), routing_key=QUEUE)


def _write(transport: str, folder: str, writer: int, count: int, start) -> None:
    from kombu import Producer

    padding = "x" * 900  # a Celery task message is about 1 KB of JSON
    start.wait()
    with _connection(transport, folder) as conn:
        producer = Producer(conn.default_channel)
        for n in range(count):
            producer.publish(
                {"id": f"{writer}-{n}", "padding": padding},
                exchange=_queue().exchange,
                routing_key=QUEUE,
                declare=[_queue()],
                serializer="json",
            )


def run(transport: str, writers: int, messages: int, timeout: float) -> dict:
    folder = tempfile.mkdtemp(prefix="onefix-broker-bench-")
    os.makedirs(os.path.join(folder, "queue"))
    os.makedirs(os.path.join(folder, "control"))
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_write, args=(transport, folder, w, messages, start)) for w in range(writers)]
    for p in procs:
        p.start()
    seen: set[str] = set()
    errors = duplicates = 0
    expected = writers * messages
    with _connection(transport, folder) as conn:
        bound = _queue()(conn.default_channel)
        bound.declare()
        began = time.perf_counter()
        start.set()
        deadline = time.monotonic() + timeout
        drained = False
        while time.monotonic() < deadline:
            # Decided before looking: if every writer had exited and the queue is
            # still empty after that, nothing more can come.
            writers_done = not any(p.is_alive() for p in procs)
            try:
                message = bound.get(no_ack=True)
            except ValueError:
                errors += 1
                continue
            if message is None:
                if writers_done:
                    drained = True
                    break
                continue
            key = message.payload["id"]
            if key in seen:
                duplicates += 1
            seen.add(key)
        elapsed = time.perf_counter() - began
    for p in procs:
        p.join(timeout=10)
    failed_dir = Path(folder, "queue", "failed")
    set_aside = len(list(failed_dir.iterdir())) if failed_dir.exists() else 0
    assert drained, f"the queue was not drained within {timeout} s"
    missing = sorted({f"{w}-{n}" for w in range(writers) for n in range(messages)} - seen)
    note = ""
    if missing:
        left = sorted(p.name for p in Path(folder).rglob("*.msg"))
        note = f"missing {missing[:5]}…; writer exit codes {[p.exitcode for p in procs]}; .msg files left {left[:5]}"
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "sent": expected,
        "received": len(seen),
        "lost": expected - len(seen),
        "duplicates": duplicates,
        "decode_errors": errors,
        "set_aside": set_aside,
        "seconds": elapsed,
        "per_second": len(seen) / elapsed,
        "note": note,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transport", choices=sorted(TRANSPORTS), required=True)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--messages", type=int, default=1000, help="per writer")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    results = []
    # Each run in a fresh process: kombu keeps declared bindings in a class-level
    # state, which would outlive the run's temporary folder.
    spawn = multiprocessing.get_context("spawn")
    for n in range(args.runs):
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            r = pool.submit(run, args.transport, args.writers, args.messages, args.timeout).result()
        results.append(r)
        print(
            f"run {n + 1}: sent {r['sent']}, received {r['received']}, lost {r['lost']}, "
            f"duplicates {r['duplicates']}, decode errors {r['decode_errors']}, "
            f"set aside {r['set_aside']}, {r['seconds']:.2f} s, {r['per_second']:.0f} msg/s",
            flush=True,
        )
        if r["note"]:
            print(f"  {r['note']}", flush=True)
    rates = [r["per_second"] for r in results]
    sent = sum(r["sent"] for r in results)
    errors = sum(r["decode_errors"] for r in results)
    print(
        f"\n{args.transport}: {args.runs} runs x {args.writers} writers x {args.messages} messages; "
        f"decode errors {errors} in {sent} ({'none' if not errors else f'1 per {sent // errors}'}), "
        f"lost {sum(r['lost'] for r in results)}, duplicates {sum(r['duplicates'] for r in results)}, "
        f"set aside {sum(r['set_aside'] for r in results)}; msg/s min / median / max "
        f"{min(rates):.0f} / {statistics.median(rates):.0f} / {max(rates):.0f}"
    )


if __name__ == "__main__":
    main()
