from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.access import author_login_required, own_story_or_404
from followups import reminders, services
from followups.forms import BaselineForm, FollowUpForm
from followups.models import Baseline, FollowUp
from hindsight.lib.ratelimit import allow, client_address, limit_posts, per_link
from stories.choices import ProcedureStatus

# Someone adds a follow-up or a baseline now and then; a script sends them by the hundred.
SENDS_PER_WINDOW = 10
WINDOW_SECONDS = 3600
# One-click forms: nothing typed to lose, but a script pressing them by the hundred is refused.
ONE_CLICK_PER_WINDOW = 30
ONE_CLICK_WINDOW_SECONDS = 600


def _too_many(request: HttpRequest, form) -> bool:
    """Count one valid send from this connection. Past the limit, put the message on the form
    (shown again with everything typed) and return True: the caller answers 429."""
    if allow("followup-send", client_address(request), limit=SENDS_PER_WINDOW,
             window_seconds=WINDOW_SECONDS):
        return False
    form.add_error(None, _("Several forms have been sent from this connection in the last hour. "
                           "Please wait an hour, then send this form again: what you wrote is "
                           "still here."))
    return True


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_add(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    form = FollowUpForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, form):
            return render(request, "followups/add.html", {"form": form, "story": story},
                          status=429)
        followup = services.followup_submit(followup=form.save(commit=False))
        return redirect("accounts:followup-sent", story_id=story.pk, followup_id=followup.pk)
    return render(request, "followups/add.html", {"form": form, "story": story})


@author_login_required
def followup_sent(request: HttpRequest, story_id: int, followup_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    followup = get_object_or_404(FollowUp, pk=followup_id, story=story)
    return render(request, "followups/sent.html", {"story": story, "followup": followup})


@require_http_methods(["GET", "HEAD", "POST"])
def followup_from_reminder(request: HttpRequest, token: str) -> HttpResponse:
    """The reminder email's link: the follow-up form for that story, without signing in."""
    story = reminders.story_from_token(token, salt=reminders.FOLLOW_UP_SALT,
                                max_age=reminders.FOLLOW_UP_LINK_MAX_AGE)
    if story is None:
        return render(request, "followups/link_invalid.html", status=400)
    form = FollowUpForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, form):
            return render(request, "followups/add.html",
                          {"form": form, "story": story, "token": token}, status=429)
        followup = services.followup_submit(followup=form.save(commit=False))
        return redirect("reminders:sent", token=token, followup_id=followup.pk)
    return render(request, "followups/add.html", {"form": form, "story": story, "token": token})


def followup_from_reminder_sent(request: HttpRequest, token: str, followup_id: int):
    story = reminders.story_from_token(token, salt=reminders.FOLLOW_UP_SALT,
                                max_age=reminders.FOLLOW_UP_LINK_MAX_AGE)
    if story is None:
        return render(request, "followups/link_invalid.html", status=400)
    followup = get_object_or_404(FollowUp, pk=followup_id, story=story)
    return render(request, "followups/sent.html", {"story": story, "followup": followup,
                                                   "token": token})


# Mail programs send the one-click unsubscribe as a POST without a CSRF token (RFC 8058);
# the signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("reminders-stop", limit=ONE_CLICK_PER_WINDOW,
             window_seconds=ONE_CLICK_WINDOW_SECONDS, identity=per_link)
def reminders_stop(request: HttpRequest, token: str) -> HttpResponse:
    story = reminders.story_from_token(token, salt=reminders.STOP_SALT,
                                max_age=reminders.STOP_LINK_MAX_AGE)
    if story is None:
        return render(request, "followups/link_invalid.html", status=400)
    if request.method == "POST":
        if story.reminders_enabled:
            story.reminders_enabled = False
            story.save(update_fields=["reminders_enabled", "updated_at"])
        return render(request, "followups/reminders_stopped.html", {"story": story})
    return render(request, "followups/reminders_stop.html", {"story": story})


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def baseline_record(request: HttpRequest, story_id: int) -> HttpResponse:
    """Before treatment: how the author is now, so later follow-ups have something to compare
    with that was written without hindsight."""
    story = own_story_or_404(request, story_id)
    if story.procedure_status not in (ProcedureStatus.BOOKED, ProcedureStatus.CONSIDERING):
        messages.info(request, _("A baseline is recorded before treatment. Add a follow-up "
                                 "instead to say how you are now."))
        return redirect("accounts:story-manage", story_id=story.pk)
    baseline = Baseline.objects.filter(story=story).first() or Baseline(
        story=story, recorded_on=timezone.localdate()
    )
    form = BaselineForm(request.POST or None, instance=baseline)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, form):
            return render(request, "followups/baseline.html", {"form": form, "story": story},
                          status=429)
        baseline = form.save(commit=False)
        baseline.recorded_on = timezone.localdate()
        baseline.full_clean()
        baseline.save()
        messages.success(request, _("Your before-treatment baseline is saved. After your "
                                    "treatment, add follow-ups to compare."))
        return redirect("accounts:story-manage", story_id=story.pk)
    return render(request, "followups/baseline.html", {"form": form, "story": story})
