"""Builders for the research tests: researchers, and counted people with chosen details."""

import datetime
import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from followups.models import FollowUp
from hindsight.testing import make_story
from research.models import RESEARCHERS_GROUP

PASSWORD = "a-long-test-password-3"
_numbers = itertools.count(1)


def make_researcher(username: str = "researcher"):
    """A researcher as an admin would make one: not staff, in the Researchers group (made by
    a migration; made again here because transactional tests empty the database)."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.invalid", PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    group, _ = Group.objects.get_or_create(name=RESEARCHERS_GROUP)
    group.permissions.add(Permission.objects.get(
        content_type__app_label="research", codename="export_deidentified"
    ))
    user.groups.add(group)
    return user


def counted_story(treatment, *, followups=(), **fields):
    """An approved story counted in the statistics and not published (so exported), from its
    own address (so its own person), treated in March 2011 and shared in June 2011, with
    approved follow-ups given as (date, result) pairs."""
    n = next(_numbers)
    values = dict(
        email=f"person-{n}@example.com", consent_publish=False, age_band="40_49", sex="female",
        ms_type="rrms", country="PL", procedure_kind="balloon", veins=["left_jugular"],
        submitted_at=datetime.datetime(2011, 6, 1, tzinfo=datetime.UTC),
    )
    values.update(fields)
    story = make_story(treatment, **values)
    for day, result in followups:
        FollowUp.objects.create(story=story, status=FollowUp.Status.APPROVED, reported_on=day,
                                result=result, relapses_since_last=0)
    return story


def ask_for_export(client, treatment, fmt: str = "csv"):
    """Press a “Prepare” button. The task is queued once the request commits: here, as the
    test's transaction never commits, on leaving this block, when the configured backend
    takes it (the immediate backend of the tests' conftest builds it there and then)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/research/export/", {"treatment": treatment.slug, "format": fmt})


def download_response(client, export):
    return client.get(f"/research/exports/{export.pk}/download/")


def exported(client, treatment, fmt: str = "csv"):
    """Ask for an export, let it be built, and download it: (the response, its text)."""
    from research.models import ExportRequest

    asked = ask_for_export(client, treatment, fmt)
    assert asked.status_code == 302, asked.content[:500]
    export = ExportRequest.objects.latest("id")
    assert export.status == ExportRequest.Status.READY, (export.status, export.error)
    response = download_response(client, export)
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content).decode()
