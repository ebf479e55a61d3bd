"""Find duplicate links for existing threads (the linking job, run in this process).

python manage.py link_duplicates --all        # every thread; resumes after Ctrl-C
python manage.py link_duplicates --all --restart
python manage.py link_duplicates --thread 123
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from duplicates import backfill
from duplicates.linking import link_thread
from forum.models import Thread
from search.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Link duplicate threads with the linking job's scorer: --all backfills every visible thread "
        "in id order with a progress bar and a checkpoint (a rerun after an interruption goes on "
        "where it stopped); --thread ID links one thread."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--all", action="store_true", help="every visible thread, from the checkpoint")
        target.add_argument("--thread", type=int, metavar="ID", help="one thread")
        parser.add_argument("--restart", action="store_true", help="with --all: forget the checkpoint first")
        parser.add_argument("--limit", type=int, help="with --all: stop after this many threads")
        parser.add_argument("--every", type=int, default=50, help="save the checkpoint every N threads")

    def handle(self, *args, all=False, thread=None, restart=False, limit=None, every=50, **options):
        if thread is not None:
            if not Thread.objects.filter(pk=thread).exists():
                raise CommandError(f"No thread with id {thread}.")
            outcome = link_thread(thread)
            self.stdout.write(
                f"Thread {thread}: {outcome.candidates} earlier candidates, {outcome.above_threshold} "
                f"above the threshold; {outcome.created} links created, {outcome.updated} updated, "
                f"{outcome.withdrawn} withdrawn."
            )
            return
        if restart:
            backfill.reset_checkpoint()
        start = backfill.checkpoint()
        total = backfill.remaining(start).count()
        if limit is not None:
            total = min(total, max(limit, 0))
        if start:
            self.stdout.write(f"Going on after thread {start} (the checkpoint; --restart starts over).")
        bar = ProgressBar(self.stdout, "threads", total, every=max(every, 1) * 10)
        began = time.monotonic()
        try:
            done, created = backfill.backfill(
                every=max(every, 1), limit=limit, progress=lambda n, _links: bar.advance(n)
            )
        except KeyboardInterrupt:
            bar.finish()
            self.stdout.write(
                self.style.WARNING(
                    f"Interrupted after thread {backfill.checkpoint()}; run the command again to go on."
                )
            )
            raise SystemExit(130) from None
        bar.finish()
        seconds = max(time.monotonic() - began, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(
                f"Linked {done:,} threads in {seconds:.1f} s ({done / seconds:,.1f} threads/s); "
                f"{created:,} new links."
            )
        )
