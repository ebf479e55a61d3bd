"""PostgreSQL: a second, small generated tsvector (title A, tags B) with a GIN index,
for similar()'s OR queries. SQLite needs nothing: FTS5 filters columns per query.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from search import fulltext

    fulltext.install_title_vector(schema_editor.connection)


def backward(apps, schema_editor):
    from search import fulltext

    fulltext.uninstall_title_vector(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
