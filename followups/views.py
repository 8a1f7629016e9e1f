from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import author_login_required, own_story_or_404
from followups import services
from followups.forms import FollowUpForm
from followups.models import FollowUp


@author_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_add(request: HttpRequest, story_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    form = FollowUpForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        followup = services.followup_submit(followup=form.save(commit=False))
        return redirect("accounts:followup-sent", story_id=story.pk, followup_id=followup.pk)
    return render(request, "followups/add.html", {"form": form, "story": story})


@author_login_required
def followup_sent(request: HttpRequest, story_id: int, followup_id: int) -> HttpResponse:
    story = own_story_or_404(request, story_id)
    followup = get_object_or_404(FollowUp, pk=followup_id, story=story)
    return render(request, "followups/sent.html", {"story": story, "followup": followup})
