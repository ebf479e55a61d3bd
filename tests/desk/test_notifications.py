"""Notifications for staff (issue 10, item 9): holders follow what they take; a customer's
reply on a held thread tells the holder (one email per person per answer); the daily
reminder of claims still waiting; new-question emails in one's areas; one-click
unsubscribe per kind. Every email goes through the real outbox (run as a worker would,
tests.jobs_helpers.run_pending) and Django's locmem mail backend."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.urls import reverse

from config.celery import app as celery_app
from desk import actions, notifications
from desk.models import StaffProfile, Team
from desk.notifications import NEW_THREAD_JOB, REMINDER_JOB, REPLY_JOB, unsubscribe_token
from desk.tasks import queue_claim_reminders
from forum import actions as forum_actions
from forum.models import Follow
from jobs import outbox
from jobs.models import NotificationSent, PendingJob
from tests.conftest import make_user
from tests.desk.conftest import ask
from tests.jobs_helpers import run_pending


def _to(*people) -> list[str]:
    return sorted(p.email for p in people)


def _sent_to() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def _emails_of(person) -> list:
    return [m for m in mail.outbox if m.to == [person.email]]


@pytest.fixture
def frank(db):
    return make_user("frank@example.com", "Frank", "staff")


@pytest.fixture
def billing(erin, frank):
    team = Team.objects.create(name="Billing team", slug="billing-team")
    team.members.add(erin, frank)
    return team


# --- staff follow what they take and answer --------------------------------------------------


def test_taking_a_thread_makes_the_holder_follow_it_without_counting_them(bob, thread):
    actions.take(bob, thread)
    assert Follow.objects.filter(user=bob, thread=thread).exists()
    thread.refresh_from_db()
    assert thread.people_count == 1  # alice; a team follower is not "affected"


def test_next_and_a_hand_over_make_the_new_holder_follow(bob, erin, category):
    top = ask(category, "Top of the queue for Next", 5)
    assert actions.take_next(bob) == top
    actions.hand_over(bob, top, erin)
    assert set(Follow.objects.filter(thread=top).values_list("user__email", flat=True)) >= {
        "bob@example.com",
        "erin@example.com",
    }


def test_staff_follow_what_they_answer(bob, thread):
    forum_actions.add_answer(thread, bob, "Update to 4.2.1, it fixes sync.")
    assert Follow.objects.filter(user=bob, thread=thread).exists()
    thread.refresh_from_db()
    assert thread.people_count == 1


# --- a customer replied on a question you're handling ----------------------------------------


def test_a_customer_reply_emails_the_holder_once_through_the_outbox(
    bob, alice, dave, thread, django_capture_on_commit_callbacks, monkeypatch
):
    actions.take(bob, thread)
    forum_actions.me_too(dave, thread)
    queued = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: queued.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = forum_actions.add_answer(thread, alice, "It still fails after signing out and in.")
    job = PendingJob.objects.get(kind=REPLY_JOB)  # recorded in the writer's transaction
    assert job.payload == {"post_id": post.pk, "people": [bob.pk]}
    assert queued == []  # nothing reaches the broker before the commit
    for callback in callbacks:
        callback()
    assert job.pk in queued
    run_pending()
    mine = _emails_of(bob)
    assert len(mine) == 1  # the desk's email, not also the follower one
    assert mine[0].subject == f"Alice replied on a question you're handling: {thread.title}"
    assert "It still fails after signing out and in." in mine[0].body
    assert _sent_to() == _to(bob, dave)  # dave follows (me-too): the forum's "New answer"
    assert _emails_of(dave)[0].subject.startswith("New answer")
    # Running the job again sends nothing.
    assert outbox.run(job.pk) is False
    assert notifications.handle_reply(job.payload) == 0
    assert len(mail.outbox) == 2
    assert NotificationSent.objects.filter(user=bob, event_key=f"desk-reply:{post.pk}").count() == 1


def test_the_holder_writing_gets_no_email(bob, thread):
    actions.take(bob, thread)
    forum_actions.add_answer(thread, bob, "Update to 4.2.1, it fixes sync.")
    run_pending()
    assert not PendingJob.objects.filter(kind=REPLY_JOB).exists()
    assert _sent_to() == ["alice@example.com"]


def test_a_colleague_answering_brings_the_holder_only_the_forum_email(bob, erin, thread):
    actions.take(bob, thread)
    forum_actions.add_answer(thread, erin, "Bob, this is the known sync bug.")
    run_pending()
    assert not PendingJob.objects.filter(kind=REPLY_JOB).exists()
    assert [m.subject.split(":")[0] for m in _emails_of(bob)] == ["New answer"]


def test_a_reply_on_a_team_claim_tells_members_on_duty_with_replies_on(
    bob, erin, frank, alice, billing, thread, db
):
    gina = make_user("gina@example.com", "Gina", "staff")
    billing.members.add(gina)
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    actions.set_on_duty(frank, False)
    actions.save_settings(
        gina, areas=[], notify_new_threads=False, notify_reminders=True, notify_replies=False
    )
    forum_actions.add_answer(thread, alice, "Any news on this?")
    run_pending()
    assert [m.subject.split(" replied")[0] for m in _emails_of(erin)] == ["Alice"]
    # frank is off duty, gina stopped these emails: neither gets the desk's or the forum's
    assert _emails_of(frank) == [] and _emails_of(gina) == []
    # bob handed it on: he still follows it, so the forum tells him as any follower
    assert [m.subject.split(":")[0] for m in _emails_of(bob)] == ["New answer"]


def test_reply_email_subject_and_text_are_not_html_escaped(bob, dave, category):
    question = ask(category, 'Export of "Q&A <notes>" fails', 2, author=dave)
    actions.take(bob, question)
    forum_actions.add_answer(question, dave, "Still <broken> & slow.")
    run_pending()
    (email,) = _emails_of(bob)
    assert email.subject == """Dave replied on a question you're handling: Export of "Q&A <notes>" fails"""
    assert 'Export of "Q&A <notes>" fails' in email.body and "&amp;" not in email.body
    html, _ = email.alternatives[0]
    assert "Q&amp;A &lt;notes&gt;" in html


# --- the daily reminder ------------------------------------------------------------------------


@pytest.fixture
def reminder_now(settings):
    settings.DESK_REMINDER_HOUR = 0  # any hour of the day is past it


def _remind(eager_celery) -> None:
    assert queue_claim_reminders.delay().get() is True  # the beat's task, run as a worker would
    run_pending(REMINDER_JOB)


def test_the_daily_reminder_lists_exactly_the_waiting_claims_once_a_day(
    bob, erin, frank, billing, category, eager_celery, reminder_now
):
    waiting = ask(category, "Sync stops at 80 percent", 30)
    answered = ask(category, "Where is the export button", 20)
    for_billing = ask(category, "Charged twice this month", 5)
    actions.take(bob, waiting)
    actions.take(bob, answered)
    forum_actions.add_answer(answered, bob, "Under File, then Export.")
    actions.take(frank, for_billing)
    actions.hand_over(frank, for_billing, billing)
    billing.members.add(bob)
    actions.set_on_duty(erin, False)
    _remind(eager_celery)
    assert _sent_to() == _to(bob, frank)  # erin is off duty
    (email,) = _emails_of(bob)
    assert email.subject == "Your claims still waiting (2)"
    assert "Sync stops at 80 percent (waiting 30 h)" in email.body
    assert "Billing team:\n\n  - Charged twice this month (waiting 5 h)" in email.body
    assert "Where is the export button" not in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _emails_of(frank)[0].subject == "Your claims still waiting (1)"
    # The beat runs again the same day: nothing more.
    _remind(eager_celery)
    assert len(mail.outbox) == 2
    day = notifications.local_day().date().isoformat()
    assert notifications.handle_reminders({"day": day}) == 0


def test_no_reminder_when_nothing_waits_or_for_off_duty_staff(
    bob, erin, category, eager_celery, reminder_now
):
    answered = ask(category, "Where is the export button", 20)
    actions.take(bob, answered)
    forum_actions.add_answer(answered, bob, "Under File, then Export.")
    actions.take(erin, ask(category, "Sync stops at 80 percent", 30))
    actions.set_on_duty(erin, False)
    _remind(eager_celery)
    assert mail.outbox == []


def test_the_reminder_waits_for_its_hour_in_the_desk_time_zone(settings, db):
    settings.DESK_TIME_ZONE = "Europe/Berlin"
    settings.DESK_REMINDER_HOUR = 8
    berlin = ZoneInfo("Europe/Berlin")
    assert notifications.queue_reminders(datetime(2026, 3, 2, 7, 59, tzinfo=berlin)) is None
    job = notifications.queue_reminders(datetime(2026, 3, 2, 8, 0, tzinfo=berlin))
    assert job.payload == {"day": "2026-03-02"} and job.dedupe_key == "desk-reminder:2026-03-02"
    assert notifications.queue_reminders(datetime(2026, 3, 2, 23, 0, tzinfo=berlin)) == job  # once a day


def test_the_beat_schedule_queues_the_reminder():
    entry = celery_app.conf.beat_schedule["desk-claim-reminders"]
    assert entry["task"] == "desk.tasks.queue_claim_reminders"


# --- a new question in your areas -------------------------------------------------------------


def _opt_in(user, *areas, on_duty=True, new_threads=True):
    actions.save_settings(
        user, areas=[a.pk for a in areas], notify_new_threads=new_threads, notify_reminders=True,
        notify_replies=True,
    )  # fmt: skip
    actions.set_on_duty(user, on_duty)


def test_a_new_question_emails_opted_in_staff_on_duty_who_cover_its_area(
    bob, erin, frank, alice, category, other_category
):
    gina = make_user("gina@example.com", "Gina", "staff")
    hank = make_user("hank@example.com", "Hank", "staff")
    _opt_in(bob, category)
    _opt_in(erin, other_category)  # another area
    _opt_in(frank, on_duty=False)  # off duty
    _opt_in(gina, new_threads=False)  # did not choose these emails
    _opt_in(hank)  # no areas: all of them
    question = forum_actions.create_thread(alice, "Sync stops after 4.2", "Nothing syncs since.", category)
    run_pending()
    assert _sent_to() == _to(bob, hank)
    assert mail.outbox[0].subject == "New question in Sync & accounts: Sync stops after 4.2"
    assert PendingJob.objects.get(kind=NEW_THREAD_JOB).dedupe_key == f"desk-new:{question.pk}"
    assert notifications.handle_new_thread({"thread_id": question.pk}) == 0  # once per person
    # An edit (text, or only the area) is not a new question.
    forum_actions.edit_thread(question, alice, "Sync stops after the 4.2 update", "Nothing at all syncs.")
    forum_actions.edit_thread(
        question, alice, question.title, "Nothing at all syncs.", category=other_category
    )
    run_pending()
    assert PendingJob.objects.filter(kind=NEW_THREAD_JOB).count() == 1
    assert len(mail.outbox) == 2


def test_questions_asked_by_staff_or_backdated_email_nobody(bob, category):
    _opt_in(bob)
    forum_actions.create_thread(bob, "A question staff asked", "For the record.", category)
    ask(category, "Asked yesterday, loaded by the demo", 24)
    run_pending()
    assert mail.outbox == [] and not PendingJob.objects.filter(kind=NEW_THREAD_JOB).exists()


def test_no_new_question_job_when_nobody_chose_these_emails(alice, category):
    forum_actions.create_thread(alice, "Sync stops after 4.2", "Nothing syncs since.", category)
    assert not PendingJob.objects.filter(kind=NEW_THREAD_JOB).exists()


# --- one-click unsubscribe -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [("new", "notify_new_threads"), ("reminder", "notify_reminders"), ("reply", "notify_replies")],
)
def test_unsubscribe_get_asks_and_post_turns_that_kind_off(client, bob, kind, field):
    _opt_in(bob)
    url = reverse("desk:unsubscribe", args=[unsubscribe_token(bob.pk, kind)])
    page = client.get(url)
    assert page.status_code == 200 and "Stop these emails" in page.content.decode()
    assert StaffProfile.objects.filter(user=bob, **{field: True}).exists()  # GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no sign-in, no CSRF token
    assert response.status_code == 200
    profile = StaffProfile.objects.get(user=bob)
    flags = {f: getattr(profile, f) for f in ("notify_new_threads", "notify_reminders", "notify_replies")}
    assert flags == {f: f != field for f in flags}  # that kind only


def test_a_bad_or_forged_unsubscribe_token_is_404(client, bob):
    _opt_in(bob)
    forged = signing.dumps({"u": bob.pk, "k": "new"}, salt="forged")
    unknown_kind = signing.dumps({"u": bob.pk, "k": "everything"}, salt=notifications.UNSUBSCRIBE_SALT)
    for token in ("nonsense", forged, unknown_kind, unsubscribe_token(999_999, "new")):
        assert client.post(reverse("desk:unsubscribe", args=[token])).status_code == 404
    assert StaffProfile.objects.get(user=bob).notify_new_threads is True


def test_each_desk_email_carries_its_own_one_click_link(client, bob, alice, thread, category):
    _opt_in(bob)
    actions.take(bob, thread)
    forum_actions.add_answer(thread, alice, "Still broken here.")
    forum_actions.create_thread(alice, "Billing page is blank", "It shows nothing.", category)
    run_pending()
    by_subject = {m.subject.split(" ")[0]: m for m in _emails_of(bob)}
    reply, new = by_subject["Alice"], by_subject["New"]
    for email, field in ((reply, "notify_replies"), (new, "notify_new_threads")):
        url = email.extra_headers["List-Unsubscribe"].strip("<>")
        assert "/desk/unsubscribe/" in url and url in email.body and url in email.alternatives[0][0]
        client.post(url.removeprefix("http://127.0.0.1:8000"))
        assert getattr(StaffProfile.objects.get(user=bob), field) is False
    # Stopped: the next customer reply tells bob nothing (nor the follower email instead).
    mail.outbox.clear()
    forum_actions.add_answer(thread, alice, "Hello again?")
    run_pending()
    assert _emails_of(bob) == []


# --- the settings on /desk/team/ -------------------------------------------------------------------


def test_staff_choose_their_emails_and_areas_next_to_the_duty_switch(bob_client, bob, category):
    page = bob_client.get("/desk/team/").content.decode()
    section = page.split('id="my-desk"')[1].split("</section>")[0]
    assert "Go off duty" in section and "Each new customer question in my areas" in section
    bob_client.post(
        "/desk/settings/", {"notify_new_threads": "on", "notify_replies": "on", "areas": [category.pk]}
    )
    profile = StaffProfile.objects.get(user=bob)
    assert (profile.notify_new_threads, profile.notify_reminders, profile.notify_replies) == (
        True,
        False,
        True,
    )
    assert list(profile.areas.all()) == [category]


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_only_staff_have_desk_settings(request, who, category):
    response = request.getfixturevalue(who).post("/desk/settings/", {"notify_new_threads": "on"})
    assert response.status_code == 404
    assert not StaffProfile.objects.exists()
