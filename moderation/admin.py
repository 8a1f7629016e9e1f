import hashlib

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from moderation.forms import RejectForm
from moderation.identifying import KINDS, LOOKS_FOR, find_identifying, highlight
from moderation.models import Action, ModerationDecision
from moderation.services import decision_record, decisions_for
from moderation.vocabulary import known_terms_cached

# The names of the decision buttons inside an object's change form.
PUBLISH = "_publish"
REJECT = "_reject"
FINGERPRINT = "_opened_fingerprint"
QUEUE_CHECK_LENGTH = 3000
CHANGED_SINCE_OPENED = _(
    "Someone changed this since you opened it (another moderator, or the author), so nothing "
    "was saved or decided. Open it again to see the current version; what you typed is still "
    "below if you need to copy it."
)


def fingerprint(values) -> str:
    """A short digest of an item's stored values, to tell whether it changed."""
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def reason_page(
    model_admin, request: HttpRequest, form, queryset, *, title: str, single=None
) -> TemplateResponse:
    """The page that asks a moderator why, before rejecting what they selected (stories,
    edits, follow-ups alike)."""
    return TemplateResponse(
        request,
        "admin/stories/story/reject.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.opts,
            "form": form,
            "stories": queryset,
            "single": single,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def decision_history(subject) -> str:
    """The decisions taken on one object, newest first, for its admin page."""
    decisions = decisions_for(subject)
    if not decisions:
        return "—"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} · {} · {}{}{}</li>",
            (
                (
                    date_format(localtime(d.created_at), "DATETIME_FORMAT"),
                    d.get_action_display(),
                    d.moderator or _("the author"),
                    f" · {d.get_reason_display()}" if d.reason else "",
                    f" · {', '.join(d.changed_fields)}" if d.changed_fields else "",
                )
                for d in decisions
            ),
        ),
    )


class ModeratedAdmin(admin.ModelAdmin):
    """The admin of something moderators decide on (a story, an author's edit, a follow-up,
    a comment, a directory suggestion).

    The decision buttons ("Save and publish", "Save, then reject…") are part of the object's
    own change form: pressing one saves whatever the moderator edited, in the same transaction,
    before the decision is taken. A decision can therefore never publish the text as it was
    before an edit the moderator made on the page. Subclasses say which buttons apply
    (`decision_buttons`) and what publishing and rejecting do (`publish`, `reject`).
    """

    change_form_template = "admin/moderation/change_form.html"
    reject_form_class = RejectForm
    reject_title = _("Reject")
    reject_explanation = ""  # who is told, shown on the reason page
    publish_label = _("Save and publish")
    reject_label = _("Save, then reject…")
    # The texts a reader would see, checked for details that could identify someone.
    identifying_fields: list[str] = []

    # Hooks for subclasses.
    def can_publish(self, obj) -> bool:
        return False

    def can_reject(self, obj) -> bool:
        return False

    def publish(self, request: HttpRequest, obj, *, changed_fields: list[str]) -> str:
        """Publish (approve, accept) `obj`, already saved with the moderator's edits; return
        the message for the moderator, or raise ValidationError."""
        raise NotImplementedError

    def reject(self, request: HttpRequest, obj, *, reason: str, note: str) -> None:
        raise NotImplementedError

    def decision_subject(self, obj):
        """What an edit's decision row is about (an author's edit logs on its story)."""
        return obj

    def queue_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def after_publish_url(self, obj) -> str:
        return self.queue_url()

    def identifying_texts(self, obj) -> list[tuple[str, str]]:
        """(label, text) for each text under review; an author's edit overrides this to
        check what it proposes."""
        return [
            (obj._meta.get_field(name).verbose_name, getattr(obj, name) or "")
            for name in self.identifying_fields
        ]

    # The identifying-details helper.
    def _flags(self, obj, *, limit: int | None = None) -> list[tuple[str, str, list]]:
        terms = known_terms_cached()
        return [
            (label, text, find_identifying(str(text)[:limit], **terms))
            for label, text in self.identifying_texts(obj)
        ]

    @admin.display(description=_("details to check"))
    def identifying_count(self, obj) -> str:
        # A queue page checks many rows: each text only up to QUEUE_CHECK_LENGTH characters,
        # so a page of very long stories stays quick ("3+": at least three, read it all).
        texts = [str(text) for _label, text in self.identifying_texts(obj)]
        count = sum(len(flags) for _label, _text, flags in
                    self._flags(obj, limit=QUEUE_CHECK_LENGTH))
        if any(len(text) > QUEUE_CHECK_LENGTH for text in texts):
            return f"{count}+"
        return str(count)

    @admin.display(description=_("Identifying details to check"))
    def identifying_details(self, obj) -> str:
        found = [(label, text, flags) for label, text, flags in self._flags(obj) if flags]
        looks_for = format_html(
            '<details class="identifying-kinds"><summary>{}</summary><ul>{}</ul></details>',
            _("What this helper looks for"),
            format_html_join("", "<li><strong>{}</strong>: {}</li>",
                             ((KINDS[kind], text) for kind, text in LOOKS_FOR.items())),
        )
        if not found:
            return format_html(
                '<p class="help">{}</p>{}',
                _("Nothing found. The helper only suggests: read the whole text."),
                looks_for,
            )
        return format_html(
            '<p class="help">{}</p><dl class="identifying">{}</dl>{}',
            _(
                "Marked below: what could identify someone. You decide; edit the fields below "
                "to remove what should not be public."
            ),
            format_html_join(
                "",
                "<dt>{} ({})</dt><dd>{}</dd>",
                ((label, len(flags), highlight(str(text), flags)) for label, text, flags in found),
            ),
            looks_for,
        )

    # The mechanism.
    def decision_buttons(self, obj) -> list[tuple[str, str]]:
        buttons = []
        if obj is not None and self.can_publish(obj):
            buttons.append((PUBLISH, self.publish_label))
        if obj is not None and self.can_reject(obj):
            buttons.append((REJECT, self.reject_label))
        return buttons

    # Two moderators on one item, or an author editing while a moderator reads: a decision
    # taken on a page opened before the item changed would publish (or save back) what the
    # page showed, undoing the other person's removal. The page carries a fingerprint of the
    # item as it was opened, and nothing is saved or decided when the item has changed since.
    def opened_fingerprint(self, obj) -> str:
        return fingerprint(self.fingerprint_values(obj))

    def fingerprint_values(self, obj) -> list:
        return [(field.name, field.value_from_object(obj))
                for field in obj._meta.concrete_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        expected = self.opened_fingerprint(obj)

        class UnchangedSinceOpened(form_class):
            def clean(self):
                data = super().clean()
                if self.data.get(FINGERPRINT) != expected:
                    raise ValidationError(CHANGED_SINCE_OPENED, code="changed_since_opened")
                return data

        UnchangedSinceOpened.__name__ = form_class.__name__
        return UnchangedSinceOpened

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_decide = obj is not None and self.has_change_permission(request, obj)
        context["decision_buttons"] = self.decision_buttons(obj) if can_decide else []
        if obj is not None:
            # After a refused save the page keeps the fingerprint it was opened with, so a
            # second press cannot slip past what changed.
            context["opened_fingerprint"] = (
                request.POST.get(FINGERPRINT, "") if request.method == "POST"
                else self.opened_fingerprint(obj)
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = self.edited_fields(form)
        obj._moderator_edited_fields = changed
        if change and changed:
            decision_record(
                subject=self.decision_subject(obj),
                action=Action.EDIT,
                moderator=request.user,
                changed_fields=changed,
            )

    def edited_fields(self, form) -> list[str]:
        return list(form.changed_data)

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        # Django's admin runs save_model and this in one transaction: a decision that fails
        # here leaves the edits saved and the object undecided, and says why.
        if PUBLISH in request.POST and self.can_publish(obj):
            try:
                message = self.publish(
                    request, obj, changed_fields=getattr(obj, "_moderator_edited_fields", [])
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(self.after_publish_url(obj))
        if REJECT in request.POST and self.can_reject(obj):
            if getattr(obj, "_moderator_edited_fields", []):
                self.message_user(request, _("Your edits are saved. Now say why you reject it."))
            return HttpResponseRedirect(self._reject_url(obj))
        return super().response_change(request, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
            *super().get_urls(),
        ]

    def _reject_url(self, obj) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_reject", args=[obj.pk])

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # None for a bad or unknown id
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if not self.can_reject(obj):
            self.message_user(request, _("This can no longer be rejected."), messages.WARNING)
            return HttpResponseRedirect(change_url)
        form = self.reject_form_class(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                self.reject(
                    request, obj, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.message_user(request, _("Rejected: %s") % obj, messages.SUCCESS)
            return HttpResponseRedirect(self.queue_url())
        return TemplateResponse(
            request,
            "admin/moderation/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": self.reject_title,
                "opts": self.opts,
                "form": form,
                "original": obj,
                "change_url": change_url,
                "explanation": self.reject_explanation,
            },
        )


class DecidedKindFilter(admin.SimpleListFilter):
    """What was decided on: only the kinds of thing that have decisions, not every model."""

    title = _("decided on")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        ids = ModerationDecision.objects.values_list("content_type", flat=True).distinct()
        kinds = ContentType.objects.filter(pk__in=ids)
        return sorted(
            ((kind.pk, kind.model_class()._meta.verbose_name_plural if kind.model_class()
              else kind.model) for kind in kinds),
            key=lambda item: str(item[1]),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(content_type_id=int(value))
        return queryset


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "reason", "moderator"]
    list_filter = ["action", "reason", DecidedKindFilter]
    date_hierarchy = "created_at"
    list_select_related = ["moderator", "content_type"]

    # The decision log is a record: nobody edits or deletes it from the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
