"""What waits for moderators: each queue with its count and its oldest item, counted in the
database (one aggregate query per queue), for the moderation home and the daily digest."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Count, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from directory.models import EntrySuggestion, SuggestionAwaitingReview
from discussion.models import Comment, CommentReport
from followups.models import FollowUp
from stories.models import Story, StoryAwaitingReview, StoryRevision


@dataclass(frozen=True)
class Queue:
    """One queue as a moderator sees it. `url` is its admin list, oldest first (None when the
    admin has no list for it); `summary` says how many wait, in words."""

    key: str
    label: str
    count: int
    oldest: datetime.datetime | None
    url: str | None
    summary: str

    @property
    def waited(self) -> str:
        """How long the oldest item has waited, in words ("2 days", "5 hours")."""
        if self.oldest is None:
            return ""
        if timezone.now() - self.oldest < datetime.timedelta(minutes=1):
            return gettext("less than a minute")
        return timesince(self.oldest, depth=1)


@dataclass(frozen=True)
class _Spec:
    key: str
    label: str  # lazy
    counted: str  # lazy plural, "%(count)d …"
    rows: models.QuerySet
    since: str  # the field whose minimum is the oldest item's age
    listed_as: type[models.Model]  # the model whose admin list shows the queue
    params: dict[str, str]  # filters for that list
    sort_by: str | None = None  # a column to sort that list by, when it is not oldest first
    counts: str = "pk"  # what one item of the list is (distinct)


def _specs() -> list[_Spec]:
    specs = [
        _Spec(
            "stories",
            gettext_lazy("Stories awaiting review"),
            ngettext_lazy(
                "%(count)d story awaiting review", "%(count)d stories awaiting review", "count"
            ),
            Story.objects.awaiting_review(),
            "email_confirmed_at",
            StoryAwaitingReview,
            {},
        ),
        _Spec(
            "edits",
            gettext_lazy("Edits of published stories"),
            ngettext_lazy(
                "%(count)d edit of a published story",
                "%(count)d edits of published stories",
                "count",
            ),
            StoryRevision.objects.filter(status=StoryRevision.Status.PENDING),
            "submitted_at",
            StoryRevision,
            {},
        ),
        _Spec(
            "followups",
            gettext_lazy("Follow-ups waiting"),
            ngettext_lazy("%(count)d follow-up waiting", "%(count)d follow-ups waiting", "count"),
            FollowUp.objects.filter(status=FollowUp.Status.PENDING),
            "submitted_at",
            FollowUp,
            {"status__exact": FollowUp.Status.PENDING},
            sort_by="submitted_at",
        ),
        # Held comments only: Comment.objects.needing_review() also holds reported ones, which
        # are their own queue below.
        _Spec(
            "comments",
            gettext_lazy("Comments waiting"),
            ngettext_lazy("%(count)d comment waiting", "%(count)d comments waiting", "count"),
            Comment.objects.filter(status=Comment.Status.PENDING),
            "created_at",
            Comment,
            {"status__exact": Comment.Status.PENDING},
            sort_by="created_at",
        ),
        # Published comments with a report nobody has dealt with. A moderator's decision deals
        # with every report of the comment at once, so the list (and the count) is of comments;
        # the age is the oldest open report's.
        _Spec(
            "reported_comments",
            gettext_lazy("Reported comments"),
            ngettext_lazy("%(count)d reported comment", "%(count)d reported comments", "count"),
            CommentReport.objects.filter(resolved=False, comment__status=Comment.Status.PUBLISHED),
            "created_at",
            Comment,
            {"queue": "review", "status__exact": Comment.Status.PUBLISHED},
            sort_by="created_at",
            counts="comment",
        ),
    ]
    story_report = _story_report_model()
    if story_report is not None:
        # The same for stories: the story list's "reported" filter shows each story with a
        # report nobody has dealt with.
        specs.append(
            _Spec(
                "reported_stories",
                gettext_lazy("Reported stories"),
                ngettext_lazy("%(count)d reported story", "%(count)d reported stories", "count"),
                # Only a published story can be decided on from its page.
                story_report.objects.filter(resolved=False, story__status=Story.Status.APPROVED),
                "created_at",
                Story,
                {"reported": "open"},
                sort_by="submitted_at",
                counts="story",
            )
        )
    specs.append(
        _Spec(
            "suggestions",
            gettext_lazy("Directory suggestions waiting"),
            ngettext_lazy(
                "%(count)d directory suggestion waiting",
                "%(count)d directory suggestions waiting",
                "count",
            ),
            EntrySuggestion.objects.pending(),
            "submitted_at",
            SuggestionAwaitingReview,
            {},
        )
    )
    return specs


def _story_report_model() -> type[models.Model] | None:
    # Reports of stories arrive in the stories app beside this; count them once they exist.
    try:
        return apps.get_model("stories", "StoryReport")
    except LookupError:
        return None


def moderation_queues(user: AbstractBaseUser) -> list[Queue]:
    """Every queue this user may look at, in the order a moderator works through them, with
    how many wait and since when. One query per queue (plus the user's permissions, once)."""
    queues = []
    for spec in _specs():
        if not _can_view(user, spec.listed_as):
            continue
        found = spec.rows.aggregate(count=Count(spec.counts, distinct=True), oldest=Min(spec.since))
        count = found["count"]
        queues.append(
            Queue(
                key=spec.key,
                label=str(spec.label),
                count=count,
                oldest=found["oldest"] if count else None,
                url=_list_url(spec, user),
                summary=(
                    spec.counted % {"count": count}
                    if count
                    else gettext("%(queue)s: nothing waiting") % {"queue": spec.label}
                ),
            )
        )
    return queues


def _can_view(user: AbstractBaseUser, model: type[models.Model]) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def _list_url(spec: _Spec, user: AbstractBaseUser) -> str | None:
    try:
        model_admin = admin.site.get_model_admin(spec.listed_as)
    except admin.sites.NotRegistered:
        return None
    params = dict(spec.params)
    if spec.sort_by:
        column = _column(model_admin, spec.sort_by, user)
        if column is not None:
            params["o"] = str(column)
    opts = spec.listed_as._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _column(model_admin: admin.ModelAdmin, field: str, user: AbstractBaseUser) -> int | None:
    """The number the admin list gives `field`'s column (its `o` parameter sorts by it). The
    list counts its columns as this user sees them: the checkbox column comes first only when
    they may use an action, so ask the model admin as they would."""
    request = HttpRequest()
    request.user = user
    columns = list(model_admin.get_list_display(request))
    if model_admin.get_actions(request):
        columns.insert(0, "action_checkbox")
    return columns.index(field) if field in columns else None
