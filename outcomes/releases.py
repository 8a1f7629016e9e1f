"""Dated releases of the published numbers (docs/disclosure.md, "Releases").

Every number the public sees about reports (each treatment's outcomes page, its downloads and
charts, its moderation panels, and each directory entry's results) is computed together into
one release and read from it. A release is made only when at least the threshold of people's
data changed since the one before, so two consecutive releases never differ by the reports of
fewer people than that; otherwise the figures stay as they were, and the reason is given.
"""

import hashlib
import json
import pickle
import zlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import DirectoryEntry, StoryDirectoryLink
from directory.selectors import entry_results
from followups.models import Baseline, FollowUp
from outcomes.cohort import confirmed_accounts
from outcomes.definitions import identity_of
from outcomes.models import ModerationTally, OutcomesRelease, ReleasedFigures
from outcomes.numbers import treatment_figures
from stories.models import Story
from treatments.models import Treatment

# Bump when the pickled figures change shape: a release of another format is not read, and the
# next `release_outcomes` run replaces it whatever changed (docs/disclosure.md says why).
RELEASE_FORMAT = 1

_STORY_DIGEST_COLUMNS = (
    "id", "treatment_id", "status", "author_id", "email", "procedure_status", "treated_year",
    "treated_month", "submitted_at", "result", "symptoms", "ms_type", "procedure_kind",
    "country", "complications", "treated_again", "consent_publish", "consent_statistics",
    "is_demo",
)
_FOLLOWUP_DIGEST_COLUMNS = (
    "story_id", "id", "status", "reported_on", "result", "symptoms", "relapses_since_last",
    "new_complications", "restenosis", "repeat_procedure",
)


@dataclass(frozen=True)
class ReleaseDecision:
    made: bool
    message: str
    release: OutcomesRelease | None = None


def treatment_key(treatment_id: int) -> str:
    return f"treatment:{treatment_id}"


def entry_key(entry_id: int) -> str:
    return f"entry:{entry_id}"


def _hasher(data: bytes):
    # Keyed, so the stored digests cannot be matched to a person by hashing a guessed address
    # or a guessed set of answers.
    key = hashlib.sha256(b"hindsight.outcomes.release:" + settings.SECRET_KEY.encode()).digest()
    return hashlib.blake2b(data, key=key, digest_size=8)


def person_digests() -> dict[str, str]:
    """For each person with a confirmed story (in any status since), a keyed digest of
    everything about them that feeds a published number: their stories' answers, status and
    consents, their follow-ups (any status), baselines, moderation tallies and directory
    links."""
    parts: dict[int, list] = defaultdict(list)
    for row in FollowUp.objects.order_by("story_id", "id").values_list(
            *_FOLLOWUP_DIGEST_COLUMNS).iterator(chunk_size=5000):
        parts[row[0]].append(("followup", *row[1:]))
    for story_id in Baseline.objects.values_list("story_id", flat=True).iterator():
        parts[story_id].append(("baseline",))
    for row in ModerationTally.objects.order_by("story_id", "kind", "status", "result").values_list(
            "story_id", "kind", "status", "result", "public", "reports").iterator(chunk_size=5000):
        parts[row[0]].append(("tally", *row[1:]))
    for story_id, entry_id in StoryDirectoryLink.objects.order_by(
            "story_id", "entry_id").values_list("story_id", "entry_id").iterator():
        parts[story_id].append(("entry", entry_id))

    # Unconfirmed stories feed no number (they never reach a moderator), so they are no change.
    confirmed = Story.objects.exclude(status=Story.Status.UNCONFIRMED).order_by("id")
    stories = [dict(zip(_STORY_DIGEST_COLUMNS, values, strict=True)) for values in
               confirmed.values_list(*_STORY_DIGEST_COLUMNS).iterator(chunk_size=5000)]
    accounts = confirmed_accounts(story["email"] for story in stories)
    of_person: dict[tuple, list] = defaultdict(list)
    for story in stories:
        of_person[identity_of(story, accounts)].append(
            (tuple(story.values()), tuple(parts.get(story["id"], ()))))
    return {
        _hasher(repr(identity).encode()).hexdigest():
            _hasher(repr(own).encode()).hexdigest()
        for identity, own in of_person.items()
    }


def people_changed(before: dict[str, str], now: dict[str, str]) -> int:
    """People who are new, gone, or whose digest differs."""
    return sum(before.get(key) != digest for key, digest in now.items()) + len(
        before.keys() - now.keys())


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _packed(digests: dict[str, str]) -> bytes:
    return zlib.compress(json.dumps(digests, separators=(",", ":")).encode())


def _unpacked(data) -> dict[str, str]:
    return json.loads(zlib.decompress(bytes(data))) if data else {}


def _all_figures() -> dict[str, object]:
    figures = {treatment_key(treatment.pk): treatment_figures(treatment)
               for treatment in Treatment.objects.order_by("pk")}
    linked = StoryDirectoryLink.objects.values("entry_id")
    for entry in DirectoryEntry.objects.published().filter(pk__in=linked).order_by("pk"):
        figures[entry_key(entry.pk)] = entry_results(entry)
    return figures


def latest_release() -> OutcomesRelease | None:
    return OutcomesRelease.objects.defer("digests").order_by("-number").first()


def release_outcomes(trigger: str = OutcomesRelease.Trigger.COMMAND) -> ReleaseDecision:
    """Make a release now if the rules allow; say why not otherwise."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    previous = OutcomesRelease.objects.order_by("-number").first()
    digests = person_digests()
    if previous is not None and previous.format == RELEASE_FORMAT:
        changed = people_changed(_unpacked(previous.digests), digests)
        if changed == 0:
            return ReleaseDecision(False, f"Nothing has changed since {previous}.")
        if changed < threshold:
            return ReleaseDecision(False, (
                f"Not released: the reports of {_people(changed)} changed since {previous}; a "
                f"release "
                f"needs at least {threshold}, so that comparing two releases cannot single "
                f"anyone out. The figures stay as they were."))
    else:
        changed = len(digests)
    figures = _all_figures()
    now = timezone.now()
    try:
        with transaction.atomic():
            release = OutcomesRelease.objects.create(
                number=(previous.number + 1) if previous else 1, released_at=now,
                trigger=trigger, format=RELEASE_FORMAT, people=len(digests),
                people_changed=changed, digests=_packed(digests))
            ReleasedFigures.objects.bulk_create(
                ReleasedFigures(release=release, key=key, payload=pickle.dumps(payload))
                for key, payload in figures.items())
            # Only the latest release's digests are ever compared.
            OutcomesRelease.objects.filter(number__lt=release.number).update(digests=b"")
    except IntegrityError:
        return ReleaseDecision(False, "Another release was made at the same moment; "
                                      "nothing more was released.")
    when = date_format(timezone.localtime(now), "DATETIME_FORMAT")
    return ReleaseDecision(True, f"Released figures as of {when}: the reports of "
                                 f"{_people(changed)} (of {len(digests)}) changed since the "
                                 "release before.", release)


@dataclass(frozen=True)
class Released:
    release: OutcomesRelease
    figures: object


def released_figures(key: str) -> Released | None:
    """The figures under `key` in the latest release, or None when there is none (no release
    yet, one of an older format, or nothing under that key). One query."""
    latest = OutcomesRelease.objects.order_by("-number").values("pk")[:1]
    row = (ReleasedFigures.objects.select_related("release").defer("release__digests")
           .filter(key=key, release_id=Subquery(latest)).first())
    if row is None or row.release.format != RELEASE_FORMAT:
        return None
    return Released(row.release, pickle.loads(row.payload))
