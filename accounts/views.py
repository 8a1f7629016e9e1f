"""An author's own pages: their stories, consents, export and erasure."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import audit
from accounts import services as account_services
from accounts.access import author_login_required, own_story_or_404
from discussion.services import comment_delete as delete_comment
from hindsight.lib.ratelimit import allow, client_address, limit_posts
from hindsight.lib.spreadsheet import csv_text
from stories import services as story_services
from stories.forms import StoryEditForm
from stories.models import Story, StoryConsent, StoryRevision

# Edits go to moderators: a person saves a few an hour, a script hundreds.
EDITS_PER_WINDOW = 20
WINDOW_SECONDS = 3600
# One-click forms: nothing typed to lose, but a script pressing them by the hundred is refused.
# Erasing has its own count, so changing settings many times never holds up leaving.
ONE_CLICK_PER_WINDOW = 30
ONE_CLICK_WINDOW_SECONDS = 600


@author_login_required
def my_stories(request: HttpRequest) -> HttpResponse:
    stories = account_services.person_stories(request.user).select_related("treatment").annotate(
        edits_waiting=Count("revisions", filter=Q(revisions__status=StoryRevision.Status.PENDING))
    )
    return render(request, "accounts/my_stories.html", {
        "stories": stories,
        "comments": account_services.person_comments(request.user).exclude(status="deleted"),
    })


@author_login_required
@require_POST
@limit_posts("my-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A signed-in person deletes one of their own comments, at any time."""
    comment = get_object_or_404(account_services.person_comments(request.user), pk=comment_id)
    delete_comment(comment=comment)
    messages.success(request, _("Your comment is deleted."))
    return redirect("accounts:my-stories")


@author_login_required
def story_manage(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    consents = {}
    for record in story.consents.all():  # oldest first: the last one of each purpose stands
        consents[record.purpose] = record
    return render(
        request,
        "accounts/story_manage.html",
        {
            "story": story,
            "publish_consent": consents.get(StoryConsent.Purpose.PUBLISH),
            "statistics_consent": consents.get(StoryConsent.Purpose.STATISTICS),
            "followups": story.followups.all(),
            "pending_edit": story.revisions.filter(
                status=StoryRevision.Status.PENDING
            ).exists(),
        },
    )


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("my-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def story_withdraw(request: HttpRequest, story_id: int) -> HttpResponse:
    """GET says what withdrawing does and asks; only the POST withdraws."""
    story = own_story_or_404(request, story_id)
    if not story.in_publication:
        messages.info(request, _("“%s” is not shown to anyone: there is nothing to withdraw.")
                      % story.title)
        return redirect("accounts:story-manage", story_id=story.pk)
    if request.method == "POST":
        story = story_services.story_withdraw(story=story)
        messages.success(request, _("“%s” is no longer shown to anyone.") % story.title)
        return redirect("accounts:story-manage", story_id=story.pk)
    return render(request, "accounts/story_withdraw.html", {"story": story})


@author_login_required
@require_POST
@limit_posts("my-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def story_resubmit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = story_services.story_resubmit(story=own_story_or_404(request, story_id))
    messages.success(request, _("“%s” has gone back to a moderator.") % story.title)
    return redirect("accounts:story-manage", story_id=story.pk)


@author_login_required
@require_POST
@limit_posts("my-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def story_consent(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    purpose = request.POST.get("purpose", "")
    granted = request.POST.get("granted", "")
    if purpose not in StoryConsent.Purpose.values or granted not in ("yes", "no"):
        messages.error(request, _("That change was not understood; nothing was changed."))
        return redirect("accounts:story-manage", story_id=story.pk)
    was_counted = story.status == story.Status.APPROVED and story.consent_statistics
    story_services.story_set_consent(story=story, purpose=purpose, granted=granted == "yes")
    if was_counted and purpose == StoryConsent.Purpose.STATISTICS and granted == "no":
        messages.success(request, _(
            "Your choice is saved. Your answers are out of the data given to researchers now, "
            "and leave the public figures when they next change."))
    else:
        messages.success(request, _("Your choice is saved."))
    return redirect("accounts:story-manage", story_id=story.pk)


@author_login_required
@require_POST
@limit_posts("my-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def story_reminders(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    story.reminders_enabled = request.POST.get("enabled") == "yes"
    story.save(update_fields=["reminders_enabled", "updated_at"])
    if story.reminders_enabled:
        messages.success(request, _("We will email you to ask how you are."))
    else:
        messages.success(request, _("We will not send you reminders about this story."))
    return redirect("accounts:story-manage", story_id=story.pk)


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("erase", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def story_erase(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    if request.method == "POST":
        title = story.title
        account_services.story_erase(story=story)
        messages.success(request, _("“%s” and everything with it has been erased.") % title)
        return redirect("accounts:my-stories")
    return render(request, "accounts/story_erase.html", {
        "story": story,
        "comments_on_story": account_services.comments_on_stories(
            Story.objects.filter(pk=story.pk)
        ).count(),
    })


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("erase", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def erase_me(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Tick the box to confirm, then press the button again."))
            return redirect("accounts:erase-me")
        account_services.person_erase(
            user=request.user,
            keep_comments_anonymously=request.POST.get("comments") == "anonymise",
        )
        logout(request)
        return render(request, "accounts/erased.html")
    stories = account_services.person_stories(request.user)
    return render(request, "accounts/erase_me.html", {
        "stories": stories,
        "comments_on_stories": account_services.comments_on_stories(stories).count(),
        "own_comments": account_services.person_comments_elsewhere(request.user).count(),
    })


@author_login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    data = account_services.person_export(request.user)
    if fmt == "json":
        body = json.dumps(data, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        rows = account_services.person_export_rows(data)
        body = csv_text(["record", "id", "field", "value"], (
            (record, ident, field, json.dumps(value, ensure_ascii=False)
             if isinstance(value, (list, dict)) else value)
            for record, ident, field, value in rows
        ))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    audit.record("export.personal", request=request, details={"format": fmt})
    response["Content-Disposition"] = f'attachment; filename="hindsight-my-data.{fmt}"'
    return response


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    edited = Story.objects.get(pk=story.pk)  # a copy the form may change freely
    pending = story.revisions.filter(status=StoryRevision.Status.PENDING).first()
    if pending is not None:
        for name, value in pending.proposed.items():
            setattr(edited, name, Story._meta.get_field(name).to_python(value))
    form = StoryEditForm(request.POST or None, instance=edited)
    if request.method == "POST" and form.is_valid():
        if not allow("story-edit", client_address(request), limit=EDITS_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            form.add_error(None, _("Many changes have been saved from this connection in the "
                                   "last hour. Please wait an hour, then press “Save my changes” "
                                   "again: what you wrote is still here."))
            return render(request, "accounts/story_edit.html",
                          {"form": form, "story": story, "pending": pending}, status=429)
        revision = story_services.story_author_edit(story=story, edited=form.save(commit=False))
        if revision is None:
            messages.success(request, _("Your changes are saved."))
        else:
            messages.success(request, _(
                "Your changes are waiting for a moderator. Until they are approved, readers "
                "see the version already published."
            ))
        return redirect("accounts:story-manage", story_id=story.pk)
    return render(request, "accounts/story_edit.html",
                  {"form": form, "story": story, "pending": pending})
