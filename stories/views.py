from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_countries import countries

from discussion.selectors import published_thread
from discussion.services import discussion_is_closed
from followups.models import FollowUp
from hindsight.lib.http import public_page
from hindsight.lib.links import link_snippet
from hindsight.lib.page_cache import kept_or_rendered
from hindsight.lib.ratelimit import allow, client_address, too_many
from stories import reports, services
from stories.forms import StoryFilterForm, StoryForm, StoryReportForm
from stories.models import Story
from treatments.models import Treatment

STORIES_PER_PAGE = 20
# A person shares one story, a household a few; a script shares hundreds.
SHARES_PER_WINDOW = 10
CONFIRMS_PER_WINDOW = 20
WINDOW_SECONDS = 3600
# Reports, as for comments: a reader sends a few in ten minutes, a script a flood.
REPORTS_PER_WINDOW = 10
REPORT_WINDOW_SECONDS = 600


def _countries_with_stories() -> list[tuple[str, str]]:
    codes = (
        Story.objects.public()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    names = dict(countries)
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])


@public_page
def story_list(request: HttpRequest) -> HttpResponse:
    filter_form = StoryFilterForm(request.GET or None, countries=_countries_with_stories())
    filters = filter_form.filters() if request.GET else {}
    stories = Story.objects.public().filter(**filters).for_list()
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stories/list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "filters": filters,
            "ignored_filters": bool(request.GET) and not filter_form.is_valid(),
            "query": query.urlencode(),
        },
    )


@public_page
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return kept_or_rendered(request, f"story:{slug}", lambda: _story_detail(request, slug))


def _story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    followups = Prefetch("followups", queryset=FollowUp.objects.published())
    story = get_object_or_404(
        Story.objects.public().select_related("treatment", "baseline").prefetch_related(followups),
        slug=slug,
    )
    return render(
        request,
        "stories/detail.html",
        {
            "story": story,
            "link_snippet": link_snippet(story),
            "comments": published_thread(story),
            "comments_closed": discussion_is_closed(story),
            "kind": "story",
            "target": story,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def story_share(request: HttpRequest) -> HttpResponse:
    treatments = Treatment.objects.active()
    if not treatments:
        raise Http404("No treatment is accepting stories.")
    initial = {}
    if chosen := treatments.filter(slug=request.GET.get("treatment", "")).first():
        initial["treatment"] = chosen
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not allow("story-share", client_address(request), limit=SHARES_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            form.add_error(None, _(
                "Several stories have been sent from this connection in the last hour. Please "
                "wait an hour, then press “Send my story” again: what you wrote is still here."
            ))
            return render(request, "stories/share.html", {"form": form}, status=429)
        services.story_submit(story=form.save(commit=False))
        return redirect("stories:share-sent")
    return render(request, "stories/share.html", {"form": form}, status=200)


def story_share_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/share_sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def story_confirm(request: HttpRequest, token: str) -> HttpResponse:
    story = services.story_from_confirmation_token(token, max_age=settings.STORY_CONFIRM_MAX_AGE)
    if story is None:
        return render(request, "stories/confirm_invalid.html", status=400)
    if request.method == "POST":
        if not allow("story-confirm", client_address(request), limit=CONFIRMS_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            return too_many(request, wait_seconds=WINDOW_SECONDS)
        story = services.story_confirm_email(story=story)
        return render(request, "stories/confirm_done.html", {"story": story})
    return render(request, "stories/confirm.html", {"story": story, "token": token})


@require_http_methods(["GET", "HEAD", "POST"])
def story_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone may report a public story. The form lives here, not on the story page, so that
    page stays cacheable: no CSRF token, no cookie."""
    story = get_object_or_404(Story.objects.public(), slug=slug)
    form = StoryReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not allow("story-report", client_address(request), limit=REPORTS_PER_WINDOW,
                     window_seconds=REPORT_WINDOW_SECONDS):
            form.is_valid()
            form.add_error(None, _(
                "Many reports have been sent from this connection in the last few minutes. "
                "Please wait ten minutes, then press “Send the report” again: what you wrote is "
                "still here."
            ))
            response = render(request, "stories/report.html", {"form": form, "story": story},
                              status=429)
            response["Retry-After"] = str(REPORT_WINDOW_SECONDS)
            return response
        if form.is_valid():
            reports.story_report(story=story, reason=form.cleaned_data["reason"],
                                 note=form.cleaned_data["note"])
            return redirect("stories:report-sent", slug=story.slug)
    return render(request, "stories/report.html", {"form": form, "story": story})


def story_report_sent(request: HttpRequest, slug: str) -> HttpResponse:
    # The story may have been taken down since: then the page only says thank you.
    story = Story.objects.public().filter(slug=slug).only("slug", "title").first()
    return render(request, "stories/report_sent.html", {"story": story})
