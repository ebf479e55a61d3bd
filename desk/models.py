"""The desk's rows: who is on duty and covers what, teams, claims, staff-only notes.

A claim is one row per thread (the unique thread is what makes exactly one of two
people taking the same thread at once win). Taking a cluster claims its waiting
threads together; they share `item`, the thread that was taken, and count as one
claim against the holder's cap. A claim row exists only while it is held: releasing
deletes it, and the audit log keeps who took, released and handed over what. A claim
is held by a person or by a team (e.g. "Billing team": every member sees it as theirs,
and any of them can take it to themselves), never both and never neither.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffProfile(models.Model):
    """A staff member's desk settings; made on first use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile"
    )
    on_duty = models.BooleanField(default=True)
    # The product areas this person covers ("Next" takes from these); none: all areas.
    areas = models.ManyToManyField("forum.Category", blank=True, related_name="+")
    # The desk's emails (docs/desk.md, "Notifications for staff"); each email's one-click
    # link turns its own kind off. Off duty, none is sent.
    notify_new_threads = models.BooleanField(
        default=False, help_text="Email me each new customer question in my areas."
    )
    notify_reminders = models.BooleanField(
        default=True, help_text="Email me once a day the claims I hold that are still waiting."
    )
    notify_replies = models.BooleanField(
        default=True, help_text="Email me when a customer replies on a question I am handling."
    )
    notify_spikes = models.BooleanField(
        default=True,
        help_text="Email me when questions and me-toos in a cluster, area or tag grow fast (while on duty).",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    # Each kind of desk email (desk.notifications) and the switch that stops it.
    EMAILS = {
        "new": "notify_new_threads",
        "reminder": "notify_reminders",
        "reply": "notify_replies",
        "spike": "notify_spikes",
    }

    def __str__(self) -> str:
        return f"desk profile of {self.user_id}"


class Team(models.Model):
    """A group a claim can be handed to, e.g. "Billing team". Managed in the admin; its
    claims show under "Mine" for every member and do not count against anyone's cap."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="desk_teams", limit_choices_to={"role": "staff"}
    )
    # What the team covers, shown on /desk/team/ (optional, for people choosing where to hand).
    areas = models.ManyToManyField("forum.Category", blank=True, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Claim(models.Model):
    thread = models.OneToOneField("forum.Thread", on_delete=models.CASCADE, related_name="desk_claim")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="desk_claims"
    )
    # Deleting a team that holds claims is refused: hand them on or release them first.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="claims")
    item = models.IntegerField(help_text="The thread that was taken; a cluster's threads share it.")
    claimed_at = models.DateTimeField(default=timezone.now)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["holder", "item"], name="claim_holder_item"),
            models.Index(fields=["team", "item"], name="claim_team_item"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holder__isnull=False, team__isnull=True)
                | models.Q(holder__isnull=True, team__isnull=False),
                name="claim_held_by_a_person_or_a_team",
            )
        ]

    def __str__(self) -> str:
        who = f"team {self.team_id}" if self.team_id else self.holder_id
        return f"thread {self.thread_id} taken by {who}"

    @property
    def held_by_name(self) -> str:
        """Who holds it, for staff: the person's or the team's name."""
        return self.team.name if self.team_id else self.holder.display_name


class Note(models.Model):
    """A staff-only note on a thread: never public, never indexed, never emailed to customers."""

    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="desk_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_md = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on thread {self.thread_id}"


class SavedReplyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own saved replies and those anyone on the staff shared with the team."""
        return self.filter(models.Q(owner_id=user.pk) | models.Q(shared=True))


class SavedReply(models.Model):
    """A reply text a member of staff keeps for the answer box (docs/desk.md#saved-replies):
    Markdown with placeholders ({asker}, {article:<address>}) filled in for each thread.
    Private to its owner, or shared with the whole team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_saved_replies"
    )
    title = models.CharField(max_length=100)
    body_md = models.TextField()
    shared = models.BooleanField(default=False, help_text="Every member of staff sees and uses it.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SavedReplyQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["owner", "title"], name="savedreply_owner_title")]

    def __str__(self) -> str:
        return self.title


class Alert(models.Model):
    """A spike: a group's new questions and me-toos grew past its own baseline
    (desk/spikes.py, docs/insights.md "Spike alerts"). At most one open alert per group
    (`ended_at` empty): while the spike goes on the beat extends it (`last_seen_at`,
    `peak_observed`); it ends after desk.spikes.QUIET back to normal, and only then can the
    group alert again. The figures are those of the run that opened it."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", "Cluster"
        CATEGORY = "category", "Product area"
        TAG = "tag", "Tag"

    class Window(models.TextChoices):
        HOUR = "hour", "Last hour"
        DAY = "day", "Last day"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    group_id = models.PositiveIntegerField()
    label = models.CharField(max_length=120)
    window = models.CharField(max_length=4, choices=Window.choices)
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    peak_observed = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at"], name="alert_started")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "group_id"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_alert_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"spike in {self.label} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def window_words(self) -> str:
        return "in the last hour" if self.window == self.Window.HOUR else "in the last day"

    @property
    def expected_words(self) -> str:
        """ "about 2", "fewer than 1" -- the expected count as people say it."""
        return "fewer than 1" if self.expected < 1 else f"about {round(self.expected)}"

    @property
    def summary(self) -> str:
        return (
            f"{self.label}: {self.observed} new questions and me-toos {self.window_words}, "
            f"{self.expected_words} expected"
        )


class DailyFigure(models.Model):
    """One day's question figures for the insights (desk/figures.py, docs/insights.md
    "Speed"), kept by a beat job so that /desk/insights/ and /stats/ need not read every
    question of a long range. `day` is a date in `time_zone` (DESK_TIME_ZONE when it was
    computed). A row per product area that had questions that day, and one row with no
    area per computed day: it says the day is computed (an area with no row had none)
    and holds the day's ask-page figures, which have no area.

    Reply and solution times are histograms over fixed log-spaced buckets (desk/figures.py,
    `bucket`), stored as a flat list [bucket, count, bucket, count, ...]: percentiles
    cannot be added up from daily sums, histograms can. Questions still waiting for staff
    are not stored (their wait grows by the minute): the report reads them live."""

    day = models.DateField()
    category = models.ForeignKey("forum.Category", on_delete=models.CASCADE, null=True, related_name="+")
    time_zone = models.CharField(max_length=64)
    asked = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)  # questions with a first staff reply
    replied_24h = models.PositiveIntegerField(default=0)  # ... within 24 h of asking
    reply_hours = models.JSONField(default=list)
    solved = models.PositiveIntegerField(default=0)
    solution_hours = models.JSONField(default=list)
    shown = models.PositiveIntegerField(default=0)  # ask-page visits shown suggestions (no area)
    prevented = models.PositiveIntegerField(default=0)  # ... that opened one and did not post
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "category"],
                condition=models.Q(category__isnull=False),
                name="dailyfigure_area_day",
            ),
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(category__isnull=True), name="dailyfigure_one_day_row"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="dailyfigure_day")]

    def __str__(self) -> str:
        return f"figures of {self.day} ({self.category_id or 'all areas'})"


class RepeatGroup(models.Model):
    """Near-identical staff replies on threads no published article covers yet
    (desk/firefight.py, docs/insights.md "Repeated firefighting"). Kept by the beat job
    (desk.tasks.find_repeats): a group keeps its row, and so its dismissal or its draft,
    as long as a new run finds any of its replies again; one that no run finds any more
    (its threads covered by a published article, its replies deleted) is deleted."""

    # The reply a promotion starts from (firefight.best_reply's rule), and its thread's
    # title and the start of its text, shown on the desk without reading the thread.
    best_post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=150)
    excerpt = models.CharField(max_length=300)
    thread_count = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    updated_at = models.DateTimeField(default=timezone.now)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    # The draft "Promote" made; once it is published its threads are covered.
    article = models.ForeignKey(
        "kb.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-thread_count", "-last_at", "-id"]

    def __str__(self) -> str:
        return f"{self.thread_count} repeats of “{self.title}”"

    @property
    def team_headline(self) -> str:
        """ "Answered 3 times by Bob Tanaka and Mia Chen" (reads the replies, prefetched)."""
        names = sorted({r.author.display_name for r in self.replies.all()})
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Answered {self.thread_count} times by {who}"


class RepeatReply(models.Model):
    """One staff reply of a group: one per thread (the best one there), a reply in one
    group at most."""

    group = models.ForeignKey(RepeatGroup, on_delete=models.CASCADE, related_name="replies")
    post = models.OneToOneField("forum.Post", on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    # Cosine similarity to the group's best reply (1.0 for the best reply itself).
    similarity = models.FloatField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "group"], name="repeatreply_author_group")]
        constraints = [models.UniqueConstraint(fields=["group", "thread"], name="uniq_repeat_thread")]

    def __str__(self) -> str:
        return f"reply {self.post_id} in repeat group {self.group_id}"
