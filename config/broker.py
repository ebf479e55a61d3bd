"""The embedded broker: kombu's filesystem transport with a safe message hand-over.

Selected by ``CELERY_BROKER_TRANSPORT = "config.broker:Transport"`` when no Redis is
configured (the broker URL stays ``filesystem://``, so the transport options and
every tool that reads the URL see the ordinary filesystem transport).

Why a subclass. In kombu's ``filesystem`` transport (5.7.0) a writer creates the
message file under its final ``*.msg`` name, then locks it and writes; a reader
lists the folder, moves any ``*.msg`` file away without taking the lock and reads
it. A reader that comes between the writer's ``open`` and ``write`` gets an empty
or half-written file, and ``json.loads`` raises in the worker's consumer loop:
``Unrecoverable error: JSONDecodeError`` and the worker exits. This is kombu issue
#1551 (https://github.com/celery/kombu/issues/1551), open upstream. Onefix's
worker died this way twice while posting in bulk; bench/broker_bench.py
reproduces it (figures in docs/benchmarks.md).

What changes here, and only here:

- ``_put`` writes the message to a temporary file in the same folder, under a
  name the readers' listing ignores (``.<name>.tmp``), and ``os.replace``s it to
  its ``*.msg`` name when it is complete. A rename within one folder is atomic,
  so a reader sees either no file or the whole message.
- ``_get`` claims a file by renaming it into ``<queue folder>/claimed/`` (same
  file system, so also atomic: of several readers exactly one wins; kombu's
  ``shutil.move`` to the system temp folder copies across file systems and can
  hand the same message to two readers). A file that still fails to decode — a
  partly written file after a power cut, say — is logged and moved to
  ``<queue folder>/failed/`` for a person to look at; the worker goes on.
- The first write of an exchange's binding table (``control/<exchange>.exchange``)
  is created the same way: kombu opens it with ``"wb"`` before taking the lock,
  so a concurrent reader could read it empty.

Not changed: a message is deleted once claimed, as in kombu, so a worker killed
while holding unacknowledged messages loses them; the transactional outbox's
sweep re-sends those jobs (see jobs/outbox.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.objects import cached_property

logger = logging.getLogger(__name__)

CLAIMED = "claimed"
FAILED = "failed"


def _write_atomically(folder: str, name: str, data: bytes) -> None:
    """Write `data` to `folder/name` so that no reader ever sees it incomplete."""
    temp = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp, "wb") as f:
            f.write(data)
        os.replace(temp, os.path.join(folder, name))
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise


class Channel(filesystem.Channel):
    """A filesystem channel whose writers publish atomically and whose readers claim atomically."""

    def _put(self, queue, payload, **kwargs):
        # The same name as kombu's (time-ordered, unique, ends in .<queue>.msg),
        # so both transports read each other's queue folders.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        try:
            _write_atomically(self.data_folder_out, name, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to {self.data_folder_out!r}") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            # "<time>_<uuid>.<queue>.msg"; temporary files (".<...>.tmp") and the
            # claimed/ and failed/ folders never match.
            if name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self.claimed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another reader claimed it first
            except OSError as exc:
                raise ChannelError(f"Cannot claim {name!r} from the queue") from exc
            try:
                with open(claimed, "rb") as f:
                    payload = f.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read claimed message {claimed!r}") from exc
            try:
                message = loads(bytes_to_str(payload))
            except ValueError:
                self._set_aside(claimed, name, len(payload))
                continue
            self._done_with(claimed)
            return message
        raise Empty()

    def _set_aside(self, claimed: str, name: str, size: int) -> None:
        failed = os.path.join(self.failed_folder, name)
        os.replace(claimed, failed)
        logger.error(
            "Broker message %s (%d bytes) is not valid JSON; moved to %s and skipped",
            name,
            size,
            failed,
        )

    def _done_with(self, claimed: str) -> None:
        if self.store_processed:
            os.makedirs(self.processed_folder, exist_ok=True)
            shutil.move(claimed, self.processed_folder)
        else:
            os.remove(claimed)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        if not file.exists():
            # Create the table with its first entry in one step; if another
            # process created it meanwhile, os.link fails and kombu's locked
            # read-modify-write below adds our entry to theirs.
            entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
            temp = self.control_folder / f".{file.name}.{uuid.uuid4().hex}.tmp"
            try:
                temp.write_bytes(str_to_bytes(dumps([entry])))
                with contextlib.suppress(FileExistsError):
                    os.link(temp, file)
                    return
            except OSError as exc:
                raise ChannelError(f"Cannot create {file}") from exc
            finally:
                with contextlib.suppress(OSError):
                    temp.unlink()
        super()._queue_bind(exchange, routing_key, pattern, queue)

    def _folder(self, name: str) -> str:
        path = os.path.join(self.data_folder_in, name)
        os.makedirs(path, exist_ok=True)
        return path

    @cached_property
    def claimed_folder(self) -> str:
        return self._folder(CLAIMED)

    @cached_property
    def failed_folder(self) -> str:
        return self._folder(FAILED)


class Transport(filesystem.Transport):
    """kombu's filesystem transport with :class:`Channel` (kombu issue #1551)."""

    Channel = Channel
