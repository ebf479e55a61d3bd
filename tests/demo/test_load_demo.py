"""`load_demo` (what `make run` loads on first run): a living forum and knowledge base
in which the linking job has run, staff confirmed a duplicate, and a fix reaches the
linked thread — and nobody is emailed about any of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from demo import desk as demo_desk
from demo import duplicates as demo_duplicates
from demo import firefight as demo_firefight
from demo import forum as demo_forum
from demo import history as demo_history
from demo import people as demo_people
from demo import spikes as demo_spikes
from duplicates.models import Cluster, ClusterMembership, DuplicateLink
from forum.models import Category, Post, Thread
from jobs.models import NotificationSent, PendingJob
from kb.models import Article, ArticleSource
from tests.jobs_helpers import run_pending

# The forum's story, the desk day's fresh questions and the ones Mia answered today, the
# past spike's, and the three Bob answered alike (repeated firefighting).
THREADS = (
    len(demo_forum.THREADS)
    + len(demo_desk.FRESH)
    + len(demo_desk.ANSWERED_BY_MIA)
    + len(demo_spikes.BURST)
    + len(demo_firefight.THREADS)
)

SYNC = "Notes stop syncing after updating to 4.2 on Windows"
SYNC_AGAIN = "Windows laptop stopped uploading notes since the 4.2 update"
BATTERY = "Android app drains the battery in the background"
BATTERY_AGAIN = "Brightdesk uses a lot of battery on my Android phone"
INSTALLER = "Installer fails with error 0x80070643 on Windows 10"
INSTALLER_AGAIN = "Update to 4.2 fails with error 1603 on Windows 10"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _thread(title: str) -> Thread:
    return Thread.objects.get(title=title)


def _pair(a: str, b: str) -> tuple[int, int]:
    return tuple(sorted([_thread(a).pk, _thread(b).pk]))


def test_the_demo_is_a_varied_forum_with_a_knowledge_base(demo, client):
    threads = Thread.objects.exclude(pk__in=demo_history.threads())  # the story's, through the actions
    assert threads.count() == THREADS
    assert Category.objects.count() == 5
    # Every status a customer's question can have (docs/forum.md, "Statuses").
    assert set(threads.values_list("status", flat=True)) >= {"waiting", "staff_answered", "solved"}
    assert threads.filter(accepted_post__isnull=False).exists()
    assert Post.objects.filter(is_official=True, author__role="staff").exists()
    assert threads.filter(me_too_count__gte=5).exists()
    newest = threads.order_by("-created_at")[0].created_at
    assert threads.filter(created_at__lt=newest).count() == THREADS - 1  # backdated: weeks of history
    assert "118842" not in Thread.objects.get(title__startswith="Charged twice").body_html  # masked
    articles = list(Article.objects.all())
    assert len(articles) == 5 + len(demo_history.ARTICLES)
    assert all(a.status == "published" and a.revisions.count() == 2 for a in articles)
    assert all(
        ArticleSource.objects.filter(article=a, post__author__email="bob@example.com").exists()
        for a in articles
    )
    assert sum(a.helpful_count for a in articles) > 0
    assert SYNC in client.get("/questions/").content.decode()
    page = client.get("/kb/sync-stalls-after-updating-to-42-on-windows/").content.decode()
    # Its one source thread (the duplicate asking the same thing shows the fix through
    # its cluster; the demo no longer links an unrelated question: tests/kb/test_demo_articles.py).
    assert "Resolved 1 thread" in page and "On this page" in page


def test_the_linking_job_ran_and_links_exactly_the_threads_that_ask_the_same_thing(demo):
    link_jobs = PendingJob.objects.filter(kind="link")
    assert link_jobs.count() == THREADS
    assert not link_jobs.filter(done_at__isnull=True).exists()
    assert not link_jobs.exclude(last_error="").exists()  # they ran; none was skipped as "not sent"
    # The forum story's threads (the desk day's fresh questions get their own suggestions).
    story = set(
        Thread.objects.filter(title__in=[t["title"] for t in demo_forum.THREADS]).values_list("pk", flat=True)
    )
    links = {
        (link.low_id, link.high_id): link.state
        for link in DuplicateLink.objects.all()
        if link.low_id in story and link.high_id in story
    }
    assert links == {
        _pair(SYNC, SYNC_AGAIN): "confirmed",
        _pair(BATTERY, BATTERY_AGAIN): "suggested",
        _pair(INSTALLER, INSTALLER_AGAIN): "suggested",
    }


def test_staff_confirmed_one_pair_into_a_cluster_whose_page_shows_the_fix(demo, client):
    link = DuplicateLink.objects.get(state="confirmed")
    assert link.decided_by.email == "bob@example.com"
    cluster = Cluster.objects.get()
    members = set(ClusterMembership.objects.filter(cluster=cluster).values_list("thread__title", flat=True))
    assert members == {SYNC, SYNC_AGAIN}
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert "Same problem, 2 questions" in html
    assert SYNC in html and SYNC_AGAIN in html
    # alice asked, nadia asked, 8 + 3 said "me too" (nobody twice)
    assert 'data-testid="cluster-page-affected">13<' in html
    assert "Sync stalls after updating to 4.2 on Windows" in html  # the article, a fix


def test_the_later_thread_shows_the_fix_from_the_linked_one(demo, client):
    html = client.get(_thread(SYNC_AGAIN).get_absolute_url()).content.decode()
    assert 'id="linked-fix"' in html and "Fixed on a linked question." in html
    sync = _thread(SYNC)
    assert f'href="{sync.get_absolute_url()}#post-{sync.accepted_post_id}"' in html
    assert "(official answer)" in html  # the accepted solution too: one answer, shown once
    assert "Sync stalls after updating to 4.2 on Windows</a>" in html  # and the article made from it
    assert 'id="linked-fix"' not in client.get(sync.get_absolute_url()).content.decode()  # its own fix


def test_the_later_threads_asker_said_still_broken_so_it_waits_for_staff_again(demo, client):
    """Issue 10, item 5: solved through the linked fix, then "No, still broken": back in
    the queue at the wait it had (no staff reply on it: since it was asked)."""
    later = _thread(SYNC_AGAIN)
    assert later.linked_fix == Thread.LinkedFix.REJECTED and later.status != Thread.Status.SOLVED
    assert later.waiting_since == later.created_at
    assert "Still broken here:" in client.get(later.get_absolute_url()).content.decode()


def test_staff_asked_for_details_in_a_comment_and_the_askers_reply_put_it_back_in_the_queue(demo, client):
    """Issue 12, item 2: comments are not answers; an information request from staff is the
    team's reply, the asker's reply after it starts the wait again."""
    thread = _thread(INSTALLER_AGAIN)
    asked, replied = list(thread.comments.order_by("created_at"))
    assert (asked.author.email, replied.author.email) == ("bob@example.com", "nadia@example.com")
    assert thread.answer_count == 0 and thread.status == Thread.Status.WAITING
    assert thread.waiting_since == replied.created_at
    assert thread.first_staff_response_at == asked.created_at
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Which Windows 10 build is it" in html and "<code>InstallFiles</code>" in html


def test_a_thread_shows_similar_threads_the_job_suggested(demo, client):
    html = client.get(_thread(BATTERY_AGAIN).get_absolute_url()).content.decode()
    assert 'id="similar-threads"' in html
    assert html.count('class="similar-item"') == 1
    assert f">{BATTERY}</a>" in html and ">Suggested</span>" in html


def test_nobody_is_emailed_about_the_demo_even_when_a_worker_runs(demo):
    assert PendingJob.objects.filter(kind__in=["notify", "fix", "kb_published"]).exists()
    assert not PendingJob.objects.waiting().exists()  # nothing left for a worker
    assert run_pending() == 0
    assert mail.outbox == []
    assert not NotificationSent.objects.exists()


def test_a_second_load_adds_nothing_and_leaves_the_site_s_own_jobs_alone(demo):
    counts = (Thread.objects.count(), Article.objects.count(), DuplicateLink.objects.count())
    own = PendingJob.objects.create(kind="notify", payload={"event": "answer", "post_id": 1})
    call_command("load_demo", verbosity=0)
    assert (Thread.objects.count(), Article.objects.count(), DuplicateLink.objects.count()) == counts
    own.refresh_from_db()
    assert own.done_at is None  # a real email still waiting is not the demo's to cancel


def test_if_empty_prints_the_accounts_on_the_first_run_only(db, capsys):
    call_command("load_demo", "--if-empty")
    first = capsys.readouterr().out
    for email, _name, role, _admin in demo_people.ACCOUNTS:
        assert f"{email}" in first and role.label in first
    assert demo_people.DEMO_PASSWORD in first
    call_command("load_demo", "--if-empty")
    assert "already has users, nothing loaded" in capsys.readouterr().out
    assert Thread.objects.count() == THREADS + demo_history.threads().count()


def test_demo_people_can_sign_in_and_the_community_cannot(demo, client):
    # Through the real log-in form (django-axes wants the request that authenticates).
    response = client.post(
        "/accounts/login/", {"login": "bob@example.com", "password": demo_people.DEMO_PASSWORD}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    priya = demo_people.person("priya@example.com", "Priya Raman")  # the existing row, not a new one
    assert not priya.has_usable_password()
    assert priya.emailaddress_set.get().verified


def test_a_pair_the_job_did_not_suggest_is_not_confirmed(demo):
    bob = demo_people.person("bob@example.com", "Bob Tanaka")
    assert demo_duplicates.confirm(bob, SYNC, BATTERY) is False
    assert DuplicateLink.objects.filter(state="confirmed").count() == 1


def test_the_desk_has_a_realistic_day(demo, client):
    """A dozen waiting rows across all four tiers, one cluster, two staff with different loads."""
    from django.utils import timezone

    from desk import priority, queries, workload

    bob = demo_people.User.objects.get(email="bob@example.com")
    t = priority.tiers(timezone.now())
    rows = list(queries.queue_rows(bob, queries.Filters(show="all"), t))
    assert len(rows) >= 12
    assert {r["tier"] for r in rows} == {1, 2, 3, 4}
    assert sum(1 for r in rows if r["key"] < 0) == 1  # the cluster, as one row
    loads = {p.user.display_name: p for p in workload.team_workload(timezone.now())}
    assert loads["Mia Chen"].load > loads["Bob Tanaka"].load > 0
    assert loads["Mia Chen"].flags  # carrying more than 1.5x the median


def test_the_demo_has_one_past_spike_on_the_insights_page(demo, client):
    """Issue 13, item 3: the detector's verdict on the demo's sign-in morning, ended; no
    banner today, no email, and its questions were answered (none waits on the desk)."""
    from accounts.models import User
    from desk.models import Alert
    from desk.spikes import ALPHA, MIN_COUNT

    [alert] = Alert.objects.all()
    assert (alert.label, alert.window, alert.observed) == ("Sync & accounts", "hour", 12)
    assert alert.observed >= MIN_COUNT["hour"] and alert.p_value < ALPHA
    assert alert.ended_at is not None
    titles = [title for _a, _m, title, _b, _v in demo_spikes.BURST]
    assert not Thread.objects.filter(title__in=titles, waiting_since__isnull=False).exists()
    client.force_login(User.objects.get(email="bob@example.com"))
    assert "spike-banner" not in client.get("/desk/").content.decode()
    page = client.get("/desk/insights/").content.decode()
    assert "Sync &amp; accounts" in page and "spike-table" in page
    call_command("load_demo", verbosity=0)
    assert Alert.objects.count() == 1


def test_the_insights_page_has_weeks_of_history(demo, client):
    """Issue 13: "the demo data gives the insights page a few weeks of history": every
    chart has a shape, read from the per-day figures load_demo built (desk/figures.py)."""
    from accounts.models import User
    from desk.models import DailyFigure

    assert demo_history.threads().count() > 150
    assert not demo_history.threads().filter(waiting_since__isnull=False).exists()  # none on the desk
    assert DailyFigure.objects.filter(category__isnull=True).count() >= 7 * 7
    client.force_login(User.objects.get(email="bob@example.com"))
    start = (timezone.now() - timedelta(days=7 * 9)).date().isoformat()
    chart = client.get(f"/desk/insights/?start={start}").context["chart"]

    def weeks(series: str) -> int:
        return sum(1 for v in chart[series] if v)

    for series in ("asked", "reply_p50", "reply_p90", "share_24h", "solution_p50", "deflection", "kb_people"):
        assert weeks(series) >= 6, series
    assert weeks("fix_people") >= 3
    assert len(set(chart["reply_p50"])) > 3  # a shape, not a flat line


def test_bob_has_answered_the_pdf_fix_three_times_and_the_desk_says_so(demo, client):
    """Issue 13, item 4: one "you've answered this 3 times" nudge; the outage notice Bob
    also posted on four threads, and the history's stock replies, are marked "not a repeat"."""
    from desk.models import RepeatGroup

    client.force_login(demo_people.User.objects.get(email="bob@example.com"))
    html = client.get("/desk/").content.decode()
    assert html.count('class="card repeat-card') == 1
    assert "You&#x27;ve answered this 3 times — promote it to the knowledge base" in html
    group = RepeatGroup.objects.get(dismissed_at__isnull=True)
    assert {r.thread.title for r in group.replies.all()} == {t[2] for t in demo_firefight.THREADS}
    assert group.best_post.thread.accepted_post_id == group.best_post_id  # Yuki accepted it
    outage = RepeatGroup.objects.get(dismissed_at__isnull=False, dismissed_by__email="bob@example.com")
    assert outage.thread_count == 4
    # The history's stock replies: seen by Mia and marked "not a repeat", so they nudge nobody.
    history_groups = RepeatGroup.objects.filter(replies__thread__in=demo_history.threads()).distinct()
    assert history_groups.exists()
    assert set(history_groups.values_list("dismissed_by__email", flat=True)) == {"mia@example.com"}
