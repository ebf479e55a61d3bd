"""Events other apps listen to, so the forum never imports them.

`fix_published` is sent inside the writer's transaction whenever a thread gets a fix
that should reach everyone with the same problem:

- kind="official": a staff answer was marked official (post is that answer);
- kind="accepted": an answer was accepted as the solution (post is that answer);
- kind="article": a knowledge-base article was published from the thread (sent by
  kb; post is the source answer or None, article is the Article).

Receivers must only record work (e.g. an outbox job); anything slow or external
happens after commit.
"""

from django.dispatch import Signal

fix_published = Signal()  # kwargs: thread, post, actor, kind, article=None
