"""Rebuild the search index from every registered source, while the site serves.

Each batch is upserted in its own short transaction (readers never see an empty
index), entries the site rewrote during the run are left alone, and only at the
end are the entries that no source yielded any more removed.
"""

from __future__ import annotations

from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from search import index
from search.models import SearchEntry
from search.progress import ProgressBar


class Command(BaseCommand):
    help = "Rebuild the search index from the forum, the knowledge base and any other registered source."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="Only this kind (repeatable), e.g. --kind thread")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, kind=None, batch_size=500, **options):
        sources = index.sources()
        kinds = kind or sorted(sources)
        unknown = [k for k in kinds if k not in sources]
        if unknown:
            raise CommandError(
                f"No source registered for {', '.join(unknown)}; known: {', '.join(sorted(sources))}"
            )
        if not kinds:
            self.stdout.write("No document sources are registered; nothing to index.")
            return
        started = timezone.now()
        for name in kinds:
            self._rebuild_kind(name, sources[name], started, max(1, batch_size))
        words = index.recount_words()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # merge FTS5 segments for faster reads
                cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt; vocabulary of {words:,} words."))

    def _rebuild_kind(self, kind, source, started, batch_size) -> None:
        bar = ProgressBar(self.stdout, kind, index.source_count(kind), every=batch_size * 10)
        documents = iter(source())
        while batch := list(islice(documents, batch_size)):
            index.upsert_many(batch, keep_newer_than=started)
            bar.advance(len(batch))
        bar.finish()
        # Anything not re-indexed (nor written by the site) since the start is gone at its source.
        stale, _ = SearchEntry.objects.filter(kind=kind, indexed_at__lt=started).delete()
        if stale:
            self.stdout.write(f"  removed {stale:,} stale {kind} entries")
