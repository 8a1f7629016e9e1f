import re

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from discussion import browser, services
from discussion.forms import CommentEditForm, CommentForm, ReportForm, rendered_at_token
from discussion.models import Comment
from discussion.targets import commentable, visible_page
from discussion.tokens import commenter_from_confirm_token, from_unsubscribe_token
from hindsight.lib.ratelimit import (
    allow,
    client_address,
    limit_posts,
    per_link,
    person_or_address,
)

POSTED_SALT = "discussion.posted"
# Posting limits, per address and per email: a person writes a few comments in ten minutes.
COMMENTS_PER_WINDOW = 5
REPORTS_PER_WINDOW = 10
EDITS_PER_WINDOW = 10
WINDOW_SECONDS = 600
# One-click forms: nothing typed to lose, but a script pressing them by the hundred is refused.
ONE_CLICK_PER_WINDOW = 30
ONE_CLICK_WINDOW_SECONDS = 600


def _target_or_404(kind: str, pk: int):
    entry = commentable(kind)
    target = entry.get(pk) if entry else None
    if target is None:
        raise Http404("Nothing to comment on here.")
    return target


def _template(request: HttpRequest, name: str) -> str:
    """The bare fragment for htmx, the full page otherwise."""
    return f"discussion/_{name}.html" if request.htmx else f"discussion/{name}.html"


def _parent(target, reply_to) -> Comment | None:
    if not reply_to:
        return None
    return Comment.objects.published().for_target(target).filter(pk=reply_to).first()


def _browser_confirmed(request: HttpRequest, data: dict, email: str) -> bool:
    user = request.user
    if user.is_authenticated and services.normalise_email(user.email or "") == \
            services.normalise_email(email):
        return True
    commenter = services.Commenter.objects.filter(
        email=services.normalise_email(email)
    ).only("id", "confirmed_at").first()
    return bool(commenter and commenter.confirmed_at and commenter.pk in data["confirmed"])


@require_http_methods(["GET", "HEAD", "POST"])
def comment_write(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target_or_404(kind, pk)
    closed = services.discussion_is_closed(target)
    reply_to = request.POST.get("reply_to") or request.GET.get("reply_to")
    # str.isdigit() accepts "⁰⁴⁵"; only plain ASCII digits are an id.
    is_id = re.fullmatch(r"[0-9]{1,18}", reply_to or "")
    parent = _parent(target, int(reply_to) if is_id else None)
    context = {"target": target, "kind": kind, "parent": parent, "closed": closed}
    if request.method != "POST" or closed:
        form = CommentForm(initial={"rendered_at": rendered_at_token(),
                                    "reply_to": parent.pk if parent else None})
        return render(request, _template(request, "write"), {**context, "form": form})

    form = CommentForm(request.POST)
    email = request.POST.get("email", "")
    address_ok = allow("comment-address", client_address(request),
                       limit=COMMENTS_PER_WINDOW, window_seconds=WINDOW_SECONDS)
    email_ok = allow("comment-email", services.normalise_email(email)[:254],
                     limit=COMMENTS_PER_WINDOW, window_seconds=WINDOW_SECONDS)
    if not (address_ok and email_ok):
        return render(request, _template(request, "write"),
                      {**context, "form": form, "too_many": True}, status=429)
    if not form.is_valid():
        return render(request, _template(request, "write"), {**context, "form": form})
    data = browser.state(request)
    try:
        comment = services.comment_submit(
            target=target,
            parent=parent,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            honeypot=form.cleaned_data["website"],
            seconds_to_write=form.seconds_to_write(),
            browser_confirmed=_browser_confirmed(request, data, form.cleaned_data["email"]),
            edit_key_hash=browser.key_hash(data),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, _template(request, "write"), {**context, "form": form})
    if request.htmx:
        response = render(request, "discussion/_posted.html",
                          {**context, "comment": comment, "can_change": True})
    else:
        token = signing.dumps(comment.pk, salt=POSTED_SALT)
        response = redirect("discussion:posted", token=token)
    browser.remember(response, data)
    return response


def comment_posted(request: HttpRequest, token: str) -> HttpResponse:
    try:
        comment_id = signing.loads(token, salt=POSTED_SALT, max_age=24 * 3600)
    except signing.BadSignature as error:
        raise Http404 from error
    comment = get_object_or_404(Comment, pk=comment_id)
    key = browser.key_hash(browser.state(request))
    # The link is the writer's, but links travel: past the edit window, or from another
    # browser, it shows only what anyone may see.
    if not services.comment_shown_to_browser(comment, key):
        raise Http404("This comment is not shown here.")
    return render(request, "discussion/posted.html", {
        "comment": comment, "target": _visible_page_or_404(comment),
        "can_change": services.can_change_own_comment(comment, key),
    })


def _visible_page_or_404(comment: Comment):
    """No page shows a comment's words once its own page is hidden or gone."""
    page = visible_page(comment)
    if page is None:
        raise Http404("The page of this comment is not shown.")
    return page


def _own_comment_or_404(request: HttpRequest, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment, pk=comment_id)
    if not services.can_change_own_comment(comment, browser.key_hash(browser.state(request))):
        raise Http404("This comment can no longer be changed from here.")
    _visible_page_or_404(comment)
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment_or_404(request, comment_id)
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        if not allow("comment-edit", person_or_address(request), limit=EDITS_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            form.add_error(None, _("You have saved many changes in the last few minutes. Please "
                                   "wait ten minutes, then press “Save” again: what you wrote "
                                   "is still here."))
            return render(request, "discussion/edit.html", {"form": form, "comment": comment},
                          status=429)
        services.comment_edit(comment=comment, body=form.cleaned_data["body"])
        return redirect("discussion:posted", token=signing.dumps(comment.pk, salt=POSTED_SALT))
    return render(request, "discussion/edit.html", {"form": form, "comment": comment})


@require_POST
@limit_posts("comment-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment_or_404(request, comment_id)
    services.comment_delete(comment=comment)
    return render(request, "discussion/deleted.html", {"target": visible_page(comment)})


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.published(), pk=comment_id)
    target = _visible_page_or_404(comment)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not allow("comment-report", client_address(request), limit=REPORTS_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            return render(request, "discussion/report.html",
                          {"form": form, "comment": comment, "too_many": True}, status=429)
        if form.is_valid():
            services.comment_report(comment=comment, reason=form.cleaned_data["reason"],
                                    note=form.cleaned_data["note"])
            return render(request, "discussion/reported.html", {"target": target})
    return render(request, "discussion/report.html", {"form": form, "comment": comment})


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("comment-actions", limit=ONE_CLICK_PER_WINDOW, window_seconds=ONE_CLICK_WINDOW_SECONDS)
def commenter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    commenter = commenter_from_confirm_token(token)
    if commenter is None or commenter.banned_at:
        return render(request, "discussion/confirm_invalid.html", status=400)
    if request.method != "POST":
        return render(request, "discussion/confirm.html", {"commenter": commenter})
    services.commenter_confirm(commenter=commenter)
    data = browser.state(request)
    if commenter.pk not in data["confirmed"]:
        data["confirmed"].append(commenter.pk)
    response = render(request, "discussion/confirmed.html", {"commenter": commenter})
    browser.remember(response, data)
    return response


# One-click unsubscribe (RFC 8058): mail programs POST without a CSRF token; the signed token
# in the address is the authority.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("unsubscribe", limit=ONE_CLICK_PER_WINDOW,
             window_seconds=ONE_CLICK_WINDOW_SECONDS, identity=per_link)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    commenter, kind = from_unsubscribe_token(token)
    if commenter is None:
        return render(request, "discussion/confirm_invalid.html", status=400)
    if request.method == "POST":
        field = "wants_reply_emails" if kind == "replies" else "wants_story_emails"
        setattr(commenter, field, False)
        commenter.save(update_fields=[field])
        return render(request, "discussion/unsubscribed.html", {"kind": kind})
    return render(request, "discussion/unsubscribe.html", {"kind": kind})


