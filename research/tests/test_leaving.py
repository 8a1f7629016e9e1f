"""Not only an erasure takes someone out of the counted data: so do withdrawing consent to
statistics, withdrawing a story, a moderator rejecting (unpublishing) it, deleting it, or an
edit after which it no longer counts. Before exports were kept, each download was built afresh
and so left them out; now each of these, once committed, deletes the ready files built before
it and has builds under way start again. Builds are timed by the database's clock, so a worker
whose clock runs ahead of the web process's cannot keep a file that holds someone."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from accounts.services import author_for_email, person_erase
from followups.models import FollowUp
from followups.services import followup_approve, followup_reject
from hindsight.testing import make_moderator, make_treatment, sign_in_moderator, tasks_run_by
from moderation.models import RejectReason
from research import formats
from research import receivers as research_receivers
from research.models import ExportRequest
from research.services import database_now, research_export_build
from research.tests.helpers import (
    ask_for_export,
    counted_story,
    download_response,
    exported,
)
from stories.models import Story, StoryAwaitingReview, StoryConsent
from stories.services import (
    story_approve,
    story_author_edit,
    story_record_edit,
    story_reject,
    story_resubmit,
    story_set_consent,
    story_withdraw,
)

pytestmark = pytest.mark.django_db

Status = ExportRequest.Status


@pytest.fixture
def moderator():
    return make_moderator()


def ready_export(client, treatment, fmt="csv") -> ExportRequest:
    ask_for_export(client, treatment, fmt)
    export = ExportRequest.objects.latest("id")
    assert export.status == Status.READY, (export.status, export.error)
    return export


def file_of(settings, export: ExportRequest) -> Path:
    return settings.RESEARCH_EXPORT_DIR / export.file_name


def committed(change, *args):
    """Make the change, and run what waits for it to be committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return change(*args)


def discards(callbacks) -> list:
    """The discards among the callbacks run on commit."""
    return [c for c in callbacks if hasattr(c, "research_discard_pending")]


def people_in(text: str) -> int:
    return len({row["study_id"] for row in csv.DictReader(io.StringIO(text))})


# What takes the person of `story` out of the counted data, each as the site does it.
def withdraw_consent(story, moderator):
    story_set_consent(story=story, purpose=StoryConsent.Purpose.STATISTICS, granted=False)


def withdraw_story(story, moderator):
    story_withdraw(story=story)


def reject_story(story, moderator):  # an approved story: this unpublishes it
    story_reject(story=story, moderator=moderator, reason=RejectReason.IDENTIFYING)


def agree_to_publish(story, moderator):  # published stories are not exported
    story_set_consent(story=story, purpose=StoryConsent.Purpose.PUBLISH, granted=True)


def delete_story(story, moderator):
    Story.objects.filter(pk=story.pk).delete()


def delete_story_through_the_proxy(story, moderator):
    StoryAwaitingReview.objects.get(pk=story.pk).delete()  # sent with the proxy as sender


def edit_it_out_in_the_admin(story, moderator):
    """A moderator corrects "had the procedure" (StoryAdmin.save_model records the edit)."""
    with transaction.atomic():
        story.procedure_status = "booked"
        story.save()
        story_record_edit(story=story, moderator=moderator,
                          changed_fields=["procedure_status"])


def move_to_another_treatment(story, moderator):
    with transaction.atomic():
        story.treatment = make_treatment(slug="another", name="Another treatment")
        story.save()
        story_record_edit(story=story, moderator=moderator, changed_fields=["treatment"])


def author_edits_it_out(story, moderator):
    """An approved story shown to nobody (consent to statistics only) changes at once."""
    Story.objects.filter(pk=story.pk).update(consent_publish=False)
    story.refresh_from_db()
    edited = Story.objects.get(pk=story.pk)
    edited.procedure_status = "booked"
    story_author_edit(story=story, edited=edited)


LEAVING = [withdraw_consent, agree_to_publish, withdraw_story, reject_story, delete_story,
           delete_story_through_the_proxy, edit_it_out_in_the_admin, move_to_another_treatment,
           author_edits_it_out]


@pytest.mark.parametrize("leave", LEAVING, ids=lambda f: f.__name__)
def test_leaving_the_counted_data_deletes_the_files_built_before_and_not_after(
    client, researcher, treatment, moderator, settings, leave
):
    leaving = counted_story(treatment, result="much_worse")
    for _ in range(5):
        counted_story(treatment)
    before = [ready_export(client, treatment, fmt) for fmt in ("csv", "json", "fhir")]
    files = [file_of(settings, export) for export in before]
    assert all(path.exists() for path in files)

    committed(leave, leaving, moderator)

    assert not any(path.exists() for path in files)
    assert set(ExportRequest.objects.values_list("status", "file_name")) == {(Status.ERASED, "")}
    assert all(download_response(client, export).status_code == 302 for export in before)
    assert client.get("/research/").text.count("Deleted after data was withdrawn") == 3
    # One built afterwards is kept, without them.
    _, text = exported(client, treatment)
    assert people_in(text) == 5 and "much_worse" not in text
    after = ExportRequest.objects.get(status=Status.READY)
    assert file_of(settings, after).exists()


def test_a_rejected_follow_up_deletes_the_files_built_before(
    client, researcher, treatment, moderator, settings
):
    story = counted_story(treatment, followups=[(datetime.date(2012, 3, 1), "much_worse")])
    for _ in range(5):
        counted_story(treatment)
    before = ready_export(client, treatment)
    path = file_of(settings, before)
    assert "much_worse" in path.read_text(encoding="utf-8")

    with TestCase.captureOnCommitCallbacks(execute=True):
        followup_reject(followup=story.followups.get(), moderator=moderator,
                        reason=RejectReason.IDENTIFYING)

    before.refresh_from_db()
    assert before.status == Status.ERASED and not path.exists()
    _, text = exported(client, treatment)
    assert people_in(text) == 6 and "much_worse" not in text


# Changes that cannot take anyone out: nothing is deleted.
def approve_a_waiting_story(treatment, moderator):
    story = counted_story(treatment, status=Story.Status.PENDING)
    return lambda: story_approve(story=story, moderator=moderator)


def give_consent(treatment, moderator):
    story = counted_story(treatment, consent_statistics=False)
    return lambda: story_set_consent(story=story, purpose=StoryConsent.Purpose.STATISTICS,
                                     granted=True)


def withdraw_consent_to_publishing(treatment, moderator):
    story = counted_story(treatment, consent_publish=True)
    return lambda: story_set_consent(story=story, purpose=StoryConsent.Purpose.PUBLISH,
                                     granted=False)


def edit_the_words(treatment, moderator):
    story = counted_story(treatment)

    def edit():
        story.title = "A story, without the clinic's name"
        story.save()
        story_record_edit(story=story, moderator=moderator, changed_fields=["title"])
    return edit


def author_edits_a_published_story(treatment, moderator):
    """It waits for a moderator as a revision; the story itself is unchanged."""
    story = counted_story(treatment, consent_publish=True)
    edited = Story.objects.get(pk=story.pk)
    edited.procedure_status = "booked"
    return lambda: story_author_edit(story=story, edited=edited)


def resubmit_a_withdrawn_story(treatment, moderator):
    story = counted_story(treatment, status=Story.Status.WITHDRAWN)
    return lambda: story_resubmit(story=story)


def delete_a_story_never_approved(treatment, moderator):
    story = counted_story(treatment, status=Story.Status.PENDING)
    return lambda: StoryAwaitingReview.objects.filter(pk=story.pk).delete()


def approve_a_follow_up(treatment, moderator):
    story = counted_story(treatment)
    followup = FollowUp.objects.create(story=story, status=FollowUp.Status.PENDING,
                                       reported_on=datetime.date(2012, 3, 1),
                                       result="much_better", relapses_since_last=0)
    return lambda: followup_approve(followup=followup, moderator=moderator)


STAYING = [approve_a_waiting_story, give_consent, withdraw_consent_to_publishing,
           edit_the_words, author_edits_a_published_story, resubmit_a_withdrawn_story,
           delete_a_story_never_approved, approve_a_follow_up]


@pytest.mark.parametrize("prepare", STAYING, ids=lambda f: f.__name__)
def test_changes_that_take_no_one_out_delete_nothing(
    client, researcher, treatment, moderator, settings, prepare
):
    change = prepare(treatment, moderator)
    export = ready_export(client, treatment)

    committed(change)

    export.refresh_from_db()
    assert export.status == Status.READY and file_of(settings, export).exists()


@pytest.mark.parametrize("leave", LEAVING, ids=lambda f: f.__name__)
def test_a_change_that_is_rolled_back_deletes_nothing(
    client, researcher, treatment, moderator, settings, leave
):
    leaving = counted_story(treatment)
    export = ready_export(client, treatment)

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            leave(leaving, moderator)
            raise RuntimeError("it failed after all")

    assert discards(callbacks) == []
    export.refresh_from_db()
    assert export.status == Status.READY and file_of(settings, export).exists()


def test_a_rollback_inside_the_change_does_not_lose_the_discard_of_what_stays_done(
    client, researcher, treatment, moderator, settings
):
    """Two changes in one transaction discard once; rolling back a savepoint around the
    second keeps the first one's."""
    first, second = counted_story(treatment), counted_story(treatment)
    export = ready_export(client, treatment)
    path = file_of(settings, export)

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        with transaction.atomic():
            withdraw_story(first, moderator)
            with pytest.raises(RuntimeError), transaction.atomic():
                withdraw_consent(second, moderator)
                raise RuntimeError("not this one")

    assert len(discards(callbacks)) == 1
    export.refresh_from_db()
    assert export.status == Status.ERASED and not path.exists()


def test_many_changes_in_one_transaction_discard_once(client, researcher, treatment,
                                                      settings, monkeypatch):
    account = author_for_email("leaving@example.com")
    for _ in range(3):
        counted_story(treatment, email="leaving@example.com", author=account)
    export = ready_export(client, treatment)
    discards = []
    discard = research_receivers.research_exports_discard_before
    monkeypatch.setattr(research_receivers, "research_exports_discard_before",
                        lambda: discards.append(discard()))

    committed(lambda: person_erase(user=account))  # an erasure record, three stories deleted

    assert discards == [1]
    export.refresh_from_db()
    assert export.status == Status.ERASED


def test_a_story_deleted_in_the_admin_deletes_the_files_built_before(
    client, researcher, treatment, settings
):
    from django.contrib.auth import get_user_model

    leaving = counted_story(treatment)
    export = ready_export(client, treatment)
    path = file_of(settings, export)
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.invalid", "a-long-test-password-2")
    admin = Client()
    sign_in_moderator(admin, superuser)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(f"/moderation/stories/story/{leaving.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302 and not Story.objects.filter(pk=leaving.pk).exists()
    export.refresh_from_db()
    assert export.status == Status.ERASED and not path.exists()


def test_leaving_during_a_build_has_it_built_again_without_the_person(
    client, researcher, treatment, settings, monkeypatch
):
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    leaving = counted_story(treatment, result="much_worse")
    for _ in range(5):
        counted_story(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    export_csv = formats.export_csv
    builds = []

    def withdraw_during_the_first_build(result):
        builds.append(len(result.rows))
        if len(builds) == 1:  # the rows are read; consent is withdrawn before the file is done
            committed(withdraw_consent, leaving, None)
        return export_csv(result)

    monkeypatch.setattr(formats, "export_csv", withdraw_during_the_first_build)

    research_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert builds == [6, 5]
    assert export.status == Status.READY and export.rows == 5
    assert [path.name for path in settings.RESEARCH_EXPORT_DIR.iterdir()] == [export.file_name]
    assert "much_worse" not in file_of(settings, export).read_text(encoding="utf-8")


@pytest.mark.parametrize("skew", ["worker ahead", "web process behind"])
def test_clocks_of_the_machines_do_not_matter(client, researcher, treatment, settings,
                                             monkeypatch, skew):
    """The worker notes when a build began, and the web process when someone left, each by
    the database's clock: a worker whose clock runs an hour ahead (or a web process an hour
    behind) cannot make a file that holds the person look built after they left."""
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    leaving = counted_story(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    real_now = timezone.now
    hour = datetime.timedelta(hours=1)

    with monkeypatch.context() as patch:
        if skew == "worker ahead":
            patch.setattr(timezone, "now", lambda: real_now() + hour)
        research_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == Status.READY
    path = file_of(settings, export)
    with monkeypatch.context() as patch:
        if skew == "web process behind":
            patch.setattr(timezone, "now", lambda: real_now() - hour)
        committed(withdraw_story, leaving, None)

    export.refresh_from_db()
    assert export.status == Status.ERASED and not path.exists()


def test_a_build_that_began_after_the_change_by_the_databases_clock_is_kept(
    client, researcher, treatment, settings
):
    leaving = counted_story(treatment)
    before, after = ready_export(client, treatment), ready_export(client, treatment, "json")
    before_file = file_of(settings, before)
    # As if the second build began reading a moment after the change committed.
    ExportRequest.objects.filter(pk=after.pk).update(
        started_at=database_now() + datetime.timedelta(minutes=1))

    committed(withdraw_story, leaving, None)

    before.refresh_from_db()
    after.refresh_from_db()
    assert before.status == Status.ERASED and not before_file.exists()
    assert after.status == Status.READY and file_of(settings, after).exists()


def test_the_database_clock_is_read_as_an_aware_datetime():
    now = database_now()
    assert now.tzinfo is not None
    assert abs(now - timezone.now()) < datetime.timedelta(minutes=5)


def test_discarding_when_nothing_is_ready_is_cheap(django_assert_max_num_queries):
    from research.services import research_exports_discard_before

    with django_assert_max_num_queries(3):  # the clock, the builds, the ready files
        assert research_exports_discard_before() == 0
