"""Dated releases of the published numbers (docs/disclosure.md, "Releases").

Every number the public sees about reports (each treatment's outcomes page, its downloads and
charts, its moderation panels, and each directory entry's results) is computed into a release
and read from it. Each page's figures change in a release only when the reports of at least the
threshold of *that page's* people changed since its figures were last computed; otherwise the
page keeps its figures, and the changes wait for more. A release is made when at least one page
changes, and the reason is given when none can.
"""

import hashlib
import json
import logging
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
from outcomes.cohort import FOLLOWUP_COLUMNS, STORY_COLUMNS, confirmed_accounts, counted_stories
from outcomes.definitions import identity_of
from outcomes.models import ModerationTally, OutcomesRelease, ReleasedFigures
from outcomes.numbers import treatment_figures
from outcomes.transparency import latest_rejection_reason
from stories.models import Story
from treatments.models import Treatment

logger = logging.getLogger(__name__)

# Bump when the pickled figures change shape: a release of another format is not read, and the
# next `release_outcomes` run computes every page again (docs/disclosure.md says why).
RELEASE_FORMAT = 2
# Digests read again after computing; if the data moved meanwhile, the figures are computed
# again, at most this many times in all.
ATTEMPTS = 3

# What the outcomes summary reads of a counted story, less who wrote it (people are grouped).
_COUNTED_COLUMNS = tuple(c for c in STORY_COLUMNS if c not in ("id", "author_id", "email"))
_STORY_COLUMNS = ("id", "treatment_id", "author_id", "email", "is_demo", *_COUNTED_COLUMNS)

Digests = dict[str, dict[str, list[int]]]  # page key -> person's digest -> their story ids


@dataclass(frozen=True)
class ReleaseDecision:
    made: bool
    message: str
    release: OutcomesRelease | None = None


def treatment_key(treatment_id: int) -> str:
    return f"treatment:{treatment_id}"


def entry_key(entry_id: int) -> str:
    return f"entry:{entry_id}"


def _digest(content) -> str:
    # Keyed, so the stored digests cannot be matched to a person by hashing guessed answers.
    key = hashlib.sha256(b"hindsight.outcomes.release:" + settings.SECRET_KEY.encode()).digest()
    return hashlib.blake2b(repr(content).encode(), key=key, digest_size=8).hexdigest()


def _rejection_reasons() -> dict[int, str]:
    """The latest rejection reason of each rejected story (the moderation panel shows it)."""
    return dict(Story.objects.filter(status=Story.Status.REJECTED)
                .annotate(reason=latest_rejection_reason("pk")).values_list("pk", "reason"))


def page_digests() -> Digests:
    """For each page, each of its people's digest of exactly what the page's figures read of
    them, with their story ids: for a treatment, their confirmed stories' moderation tallies
    (status, result, whether public, and the rejection reason) and, for counted stories, the
    answers, approved follow-ups and baseline; for a directory entry, the result and whether
    published of their counted stories linked to it. Nothing else (words, waiting edits, a new
    account for the same address) changes a digest."""
    parts: dict[int, list] = defaultdict(list)
    tallies = ModerationTally.objects.order_by("story_id", "kind", "status", "result", "public")
    for row in tallies.values_list("story_id", "kind", "status", "result", "public",
                                   "reports").iterator(chunk_size=5000):
        parts[row[0]].append(row[1:])
    approved = FollowUp.objects.filter(status=FollowUp.Status.APPROVED).order_by(
        "story_id", "reported_on", "pk")
    followups: dict[int, list] = defaultdict(list)
    for row in approved.values_list(*FOLLOWUP_COLUMNS).iterator(chunk_size=5000):
        followups[row[0]].append(row[1:])
    with_baseline = set(Baseline.objects.values_list("story_id", flat=True))
    reasons = _rejection_reasons()
    counted_ids = set(counted_stories().values_list("pk", flat=True))
    stories = [dict(zip(_STORY_COLUMNS, values, strict=True)) for values in
               Story.objects.exclude(status=Story.Status.UNCONFIRMED).order_by("pk")
               .values_list(*_STORY_COLUMNS).iterator(chunk_size=5000)]
    accounts = confirmed_accounts(story["email"] for story in stories)
    identity = {story["id"]: identity_of(story, accounts) for story in stories}

    contents: dict[tuple, list] = defaultdict(list)  # (page key, person) -> [(id, content)]
    counted = {}
    for story in stories:
        content = [tuple(parts.get(story["id"], ())), reasons.get(story["id"])]
        if story["id"] in counted_ids:
            counted[story["id"]] = story
            content += [story["is_demo"], tuple(str(story[c]) for c in _COUNTED_COLUMNS),
                        tuple(map(str, followups.get(story["id"], ()))),
                        story["id"] in with_baseline]
        contents[(treatment_key(story["treatment_id"]), identity[story["id"]])].append(
            (story["id"], content))
    # Distinct: a story linked twice to one entry (as "who" and as "where") counts once.
    for story_id, entry_id in StoryDirectoryLink.objects.filter(
            entry__status=DirectoryEntry.Status.PUBLISHED).order_by(
            "story_id", "entry_id").values_list("story_id", "entry_id").distinct().iterator():
        if story_id in counted:
            story = counted[story_id]
            contents[(entry_key(entry_id), identity[story_id])].append(
                (story_id, (story["result"], story["consent_publish"])))

    digests: Digests = defaultdict(dict)
    for (page, _person), own in contents.items():
        own.sort()
        digests[page][_digest(own)] = [story_id for story_id, _content in own]
    return dict(digests)


def people_changed(before: dict[str, list[int]], now: dict[str, list[int]]) -> int:
    """How many of a page's people changed: each person now whose digest is new (their reports
    changed, or they are new, or two of their identities became one), and each person before
    none of whose stories is still there (they left). The same reports under another key (an
    account made for an address) are no change."""
    still_there = {story_id for story_ids in now.values() for story_id in story_ids}
    new_or_changed = sum(digest not in before for digest in now)
    gone = sum(digest not in now and still_there.isdisjoint(story_ids)
               for digest, story_ids in before.items())
    return new_or_changed + gone


def _packed(digests: Digests) -> bytes:
    return zlib.compress(json.dumps(digests, separators=(",", ":")).encode())


def _unpacked(data) -> Digests:
    return json.loads(zlib.decompress(bytes(data))) if data else {}


def _pages() -> dict[str, object]:
    """Every page with figures, and how to compute them."""
    pages = {treatment_key(treatment.pk): (treatment_figures, treatment)
             for treatment in Treatment.objects.order_by("pk")}
    linked = StoryDirectoryLink.objects.values("entry_id")
    for entry in DirectoryEntry.objects.published().filter(pk__in=linked).order_by("pk"):
        pages[entry_key(entry.pk)] = (entry_results, entry)
    return pages


def _readable(payload) -> bool:
    try:
        pickle.loads(payload)
    except Exception:  # a class renamed or moved since, or damaged bytes
        logger.warning("Released figures could not be read; they are computed again.")
        return False
    return True


def _compute(pages: dict, keys) -> dict[str, bytes]:
    return {key: pickle.dumps(compute(subject)) for key in keys
            for compute, subject in (pages[key],)}


def _named(release: OutcomesRelease) -> str:
    when = date_format(timezone.localtime(release.released_at), "DATETIME_FORMAT")
    return f"release {release.number} of {when}"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def release_outcomes(trigger: str = OutcomesRelease.Trigger.COMMAND) -> ReleaseDecision:
    """Make a release now if the rules allow for at least one page; say why not otherwise."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    previous = OutcomesRelease.objects.order_by("-number").first()
    before: Digests = {}
    kept_payloads: dict[str, bytes] = {}
    kept_from: dict[str, tuple] = {}
    shown_before: set[str] = set()
    if previous is not None and previous.format == RELEASE_FORMAT:
        before = _unpacked(previous.digests)
        for key, payload, number, as_of, shown in previous.figures.values_list(
                "key", "payload", "computed_in", "as_of", "shown"):
            kept_payloads[key] = bytes(payload)
            kept_from[key] = (number, as_of)
            if shown:
                shown_before.add(key)
    for _attempt in range(ATTEMPTS):
        now = page_digests()
        pages = _pages()
        changed = {key: people_changed(before.get(key, {}), now.get(key, {})) for key in pages}
        update = [key for key in pages
                  if key not in kept_payloads or changed[key] >= threshold
                  or not _readable(kept_payloads[key])]
        # A page that has gone keeps its figures and digests unseen: if it comes back, it is
        # gated against them like any other page.
        hidden = kept_payloads.keys() - pages.keys()
        back = (kept_payloads.keys() & pages.keys()) - shown_before
        if not update and not (hidden & shown_before) and not back:
            return _refusal(changed, threshold, previous)
        computed = _compute(pages, update)
        # The digests must describe the data the figures were computed from.
        after = page_digests()
        if all(after.get(key, {}) == now.get(key, {}) for key in update):
            break
    else:
        return ReleaseDecision(False, "Not released: reports kept changing while the figures "
                                      "were computed. Try again later.")
    kept = [key for key in pages if key not in computed]
    digests = {**{key: before.get(key, {}) for key in [*kept, *hidden]},
               **{key: now.get(key, {}) for key in update}}
    return _store(trigger, previous, computed,
                  {key: (kept_payloads[key], *kept_from[key], key not in hidden)
                   for key in [*kept, *hidden]},
                  digests, changed, update)


def _refusal(changed: dict[str, int], threshold: int, previous) -> ReleaseDecision:
    if previous is None:
        return ReleaseDecision(False, "Nothing to release: there is no treatment yet.")
    waiting = {key: n for key, n in changed.items() if n}
    if not waiting:
        return ReleaseDecision(False, f"Nothing has changed since {_named(previous)}.")
    most = max(waiting.values())
    return ReleaseDecision(False, (
        f"Not released: on every page fewer than {threshold} people's reports changed since "
        f"its figures were computed (at most {_people(most)}, on {len(waiting)} "
        f"page{'s' if len(waiting) != 1 else ''}); a page changes only with at least "
        f"{threshold}, so that comparing two releases cannot single anyone out. The figures "
        f"stay as they were in {_named(previous)}."))


def _store(trigger, previous, computed: dict[str, bytes], kept: dict[str, tuple],
           digests: Digests, changed: dict[str, int], update: list[str]) -> ReleaseDecision:
    now = timezone.now()
    kept_shown = sum(shown for *_figures, shown in kept.values())
    try:
        with transaction.atomic():
            release = OutcomesRelease.objects.create(
                number=(previous.number + 1) if previous else 1, released_at=now,
                trigger=trigger, format=RELEASE_FORMAT,
                people=sum(len(page) for key, page in digests.items()
                           if key.startswith("treatment:")),
                people_changed=sum(changed[key] for key in update),
                pages_updated=len(computed), pages_kept=kept_shown, digests=_packed(digests))
            ReleasedFigures.objects.bulk_create([
                *(ReleasedFigures(release=release, key=key, payload=payload,
                                  computed_in=number, as_of=as_of, shown=shown)
                  for key, (payload, number, as_of, shown) in kept.items()),
                *(ReleasedFigures(release=release, key=key, payload=payload,
                                  computed_in=release.number, as_of=now)
                  for key, payload in computed.items()),
            ])
            # Only the latest release's digests are ever compared.
            OutcomesRelease.objects.filter(number__lt=release.number).update(digests=b"")
    except IntegrityError:
        return ReleaseDecision(False, "Another release was made at the same moment; "
                                      "nothing more was released.")
    when = date_format(timezone.localtime(now), "DATETIME_FORMAT")
    return ReleaseDecision(True, (
        f"Released figures as of {when}: {len(computed)} page{'s' if len(computed) != 1 else ''}"
        f" updated, {kept_shown} kept as they were (fewer than "
        f"{settings.SMALL_COUNT_THRESHOLD} of their people changed)."), release)


@dataclass(frozen=True)
class Released:
    """A page's figures as published, with the release that computed them."""

    number: int
    released_at: object  # datetime
    figures: object


def released_figures(key: str) -> Released | None:
    """The figures under `key` in the latest release, or None when there is none (no release
    yet, one of an older format, nothing under that key, or figures that cannot be read: the
    next release computes those again). One query."""
    latest = OutcomesRelease.objects.order_by("-number").values("pk")[:1]
    row = (ReleasedFigures.objects.select_related("release").defer("release__digests")
           .filter(key=key, release_id=Subquery(latest), shown=True).first())
    if row is None or row.release.format != RELEASE_FORMAT:
        return None
    try:
        return Released(row.computed_in, row.as_of, pickle.loads(row.payload))
    except Exception:  # a class renamed or moved since, or damaged bytes
        logger.warning("Released figures %s could not be read.", key)
        return None
