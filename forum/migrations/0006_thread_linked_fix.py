"""Solved through a linked question (issue 10, item 5): the fact, and which fix.

No backfill: a thread is marked when a fix lands on its cluster, or when it joins a
cluster that has one, and its asker is emailed the question at that moment. Marking
existing threads here would take them out of the staff queue without asking anyone.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0005_thread_waiting_since'),
    ]

    operations = [
        migrations.AddField(
            model_name='thread',
            name='linked_fix',
            field=models.CharField(blank=True, choices=[('', 'No'), ('pending', 'Solved through a linked question (the asker has not said)'), ('confirmed', 'Solved through a linked question (the asker said it fixed theirs)'), ('rejected', 'The asker said the linked fix did not fix theirs')], default='', max_length=10),
        ),
        migrations.AddField(
            model_name='thread',
            name='linked_fix_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='thread',
            name='linked_fix_key',
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name='thread',
            name='linked_fix_title',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='thread',
            name='linked_fix_url',
            field=models.CharField(blank=True, max_length=500),
        ),
    ]
