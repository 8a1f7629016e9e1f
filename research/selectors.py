"""What the research export reads: the people the outcomes page counts, read afresh each time,
so a person who withdraws, stops consenting or erases their data is gone from the next export.
And the researcher's own export requests, as the page lists them."""

import datetime
from collections import defaultdict
from collections.abc import Hashable

from django.utils.crypto import salted_hmac

from followups.models import FollowUp
from outcomes.cohort import confirmed_accounts, counted_stories
from outcomes.definitions import identity_of, time_zero
from research.deidentify import FOLLOW_UP, MAX_SHIFT_DAYS, STORY, Episode, Report
from research.models import ExportRequest
from stories.dates import earliest_treatment_day
from treatments.models import Treatment

_STORY_FIELDS = (
    "id", "author_id", "email", "treated_year", "treated_month", "submitted_at", "age_band",
    "sex", "country", "ms_type", "procedure_kind", "veins", "result", "symptoms",
    "change_onset", "complications", "treated_again",
)
_FOLLOWUP_FIELDS = (
    "story_id", "reported_on", "result", "symptoms", "relapses_since_last",
    "new_complications", "restenosis", "repeat_procedure", "started_dmt",
)


def _treated_on(year, month) -> tuple[datetime.date | None, bool]:
    """The treatment date as the outcomes page and the follow-up form take it
    (docs/analysis-plan.md): the 1st of the month, or 1 January when only the year is known;
    and whether the month is known."""
    return earliest_treatment_day(year, month), time_zero(year, month) is not None


def date_shift_days(person: Hashable) -> int:
    """A person's date offset, in days: unpredictable without the site's secret key, and the
    same in every export, so downloading again and again cannot average it away."""
    digest = salted_hmac("research.date-shift", repr(person)).digest()
    return int.from_bytes(digest[:8], "big") % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS


def exported_stories(treatment: Treatment):
    """The counted stories of this treatment that are not published. A published story's page
    shows nearly every answer an export row holds, so its row could be matched to the page,
    and through it the author to their sex and to their other, unpublished stories; its
    answers are on the site for anyone to read instead."""
    return counted_stories(treatment).filter(consent_publish=False)


def research_episodes(treatment: Treatment) -> list[Episode]:
    """Every exported story of this treatment with its approved follow-ups. Three queries.

    People are told apart as the outcomes page tells them apart (`identity_of`: their account,
    the account that confirmed their address, or the address); the address is only compared
    here and never leaves this function."""
    stories = exported_stories(treatment)
    rows = [dict(zip(_STORY_FIELDS, values, strict=True))
            for values in stories.values_list(*_STORY_FIELDS).iterator(chunk_size=5000)]
    account_of_address = confirmed_accounts(row["email"] for row in rows)
    followups: dict[int, list[Report]] = defaultdict(list)
    for values in FollowUp.objects.filter(
        story__in=stories, status=FollowUp.Status.APPROVED
    ).values_list(*_FOLLOWUP_FIELDS).iterator(chunk_size=5000):
        f = dict(zip(_FOLLOWUP_FIELDS, values, strict=True))
        followups[f["story_id"]].append(Report(
            kind=FOLLOW_UP, on=f["reported_on"], result=f["result"],
            symptoms=f["symptoms"] or {}, complications=f["new_complications"] or (),
            relapses_since_last=f["relapses_since_last"], restenosis=f["restenosis"],
            repeat_procedure=f["repeat_procedure"], started_dmt=f["started_dmt"],
        ))
    episodes = []
    for row in rows:
        treated_on, month_known = _treated_on(row["treated_year"], row["treated_month"])
        if treated_on is None:
            continue
        person = identity_of(row, account_of_address)
        story = Report(
            kind=STORY, on=row["submitted_at"].date(), result=row["result"],
            symptoms=row["symptoms"] or {}, change_onset=row["change_onset"],
            complications=row["complications"] or (), treated_again=row["treated_again"],
        )
        episodes.append(Episode(
            person=person, treated_on=treated_on, month_known=month_known,
            age_band=row["age_band"], sex=row["sex"], country=str(row["country"] or ""),
            ms_type=row["ms_type"], procedure_kind=row["procedure_kind"],
            veins=row["veins"] or (), reports=(story, *followups[row["id"]]),
        ))
    return episodes


def stories_counted(treatment: Treatment) -> int:
    """How many stories could go into an export of this treatment now."""
    return exported_stories(treatment).count()


RECENT_EXPORTS = 10


def exports_recent(user) -> list[ExportRequest]:
    """The researcher's own latest export requests, newest first."""
    return list(ExportRequest.objects.filter(user=user).select_related("treatment")
                [:RECENT_EXPORTS])


def exports_state(exports: list[ExportRequest]) -> str:
    """A short fingerprint of what the list shows, so the page can ask whether it changed."""
    return ".".join(f"{export.pk}-{export.status}" for export in exports)


def exports_state_counts(state: str) -> tuple[int, int]:
    """How many exports a fingerprint says are waiting and ready (what the page last said)."""
    statuses = [item.rpartition("-")[2] for item in state.split(".")]
    pending = (ExportRequest.Status.QUEUED, ExportRequest.Status.BUILDING)
    return (sum(status in pending for status in statuses),
            statuses.count(ExportRequest.Status.READY))
