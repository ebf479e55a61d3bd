"""Search results show a status badge worded by the indexing app (issue 12, item 3)."""

from django.db import migrations, models


def sqlite_triggers_back(apps, schema_editor):
    """SQLite re-creates search_searchentry to add a column, which drops the FTS5
    triggers (search/fulltext.py): put them back and re-index. PostgreSQL adds the
    column in place; its generated vectors need nothing."""
    from search import fulltext

    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        fulltext.install_sqlite_triggers(connection)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_title_vector'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchentry',
            name='status',
            field=models.CharField(blank=True, help_text="The badge's colour word, e.g. a thread's status.", max_length=20),
        ),
        migrations.AddField(
            model_name='searchentry',
            name='status_label',
            field=models.CharField(blank=True, help_text="The badge's text, as the source words it.", max_length=60),
        ),
        migrations.RunPython(sqlite_triggers_back, migrations.RunPython.noop, elidable=False),
    ]
