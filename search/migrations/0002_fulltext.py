"""Full-text structures that differ per database (see search/fulltext.py).

PostgreSQL: pg_trgm, a generated weighted tsvector column with a GIN index, and a
trigram index on the vocabulary. SQLite: an FTS5 external-content table kept in
step by triggers. RunPython picks by the connection's vendor, so the same
migration runs on both.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from search import fulltext

    fulltext.install(schema_editor.connection)


def backward(apps, schema_editor):
    from search import fulltext

    fulltext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
