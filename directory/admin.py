from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import services
from directory.models import (
    DirectoryEntry,
    EntrySource,
    EntrySuggestion,
    StoryDirectoryLink,
    SuggestionAwaitingReview,
)
from moderation.admin import ModeratedAdmin, decision_history
from moderation.forms import RejectForm
from moderation.models import RejectReason
from stories.admin import StoryAdmin


class EntrySourceInline(admin.StackedInline):
    model = EntrySource
    fields = ["claim", "title", "url", "accessed_on", "order"]
    extra = 0


class EntrySuggestionInline(admin.TabularInline):
    """Suggestions about the entry, to read while editing it."""

    model = EntrySuggestion
    fk_name = "entry"
    fields = ["kind", "status", "correction", "sources", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("suggestions from the public")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "institution", "country", "status", "updated_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "institution", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["treatments"]
    inlines = [EntrySourceInline, EntrySuggestionInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["public_link", "linked_stories", "history", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "public_link"]}),
        (_("Details"), {
            "description": _("Say only what a public source supports, and add that source "
                             "below with the claim it supports."),
            "fields": ["position", "institution", "city", "country", "description",
                       "treatments"],
        }),
        (_("Stories and history"), {"fields": ["linked_stories", "history", "created_at",
                                               "updated_at"]}),
    ]

    @admin.display(description=_("Public page"))
    def public_link(self, entry: DirectoryEntry) -> str:
        if entry.pk and entry.is_published:
            return format_html('<a href="{}">{}</a>', entry.get_absolute_url(), entry.slug)
        return "—"

    @admin.display(description=_("Linked stories"))
    def linked_stories(self, entry: DirectoryEntry) -> str:
        links = entry.story_links.select_related("story") if entry.pk else []
        if not links:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> · {} · {}</li>',
            ((reverse("admin:stories_story_change", args=[link.story_id]), link.story.title,
              link.get_role_display(), link.story.get_status_display()) for link in links),
        ))

    @admin.display(description=_("Decisions"))
    def history(self, entry: DirectoryEntry) -> str:
        return decision_history(entry) if entry.pk else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            services.entry_record_edit(entry=obj, moderator=request.user,
                                       changed_fields=list(form.changed_data))

    @admin.action(description=_("Publish the selected entries"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[DirectoryEntry]):
        done = 0
        for entry in queryset:
            try:
                services.entry_publish(entry=entry, moderator=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{entry}: {' '.join(error.messages)}",
                                  messages.ERROR)
        self.message_user(request, ngettext("Published %d entry.", "Published %d entries.",
                                            done) % done)

    @admin.action(description=_("Return the selected entries to draft"), permissions=["change"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[DirectoryEntry]):
        for entry in queryset:
            services.entry_unpublish(entry=entry, moderator=request.user)
        self.message_user(request, _("The selected entries are drafts again."))


class SuggestionRejectForm(RejectForm):
    """The shared reason form, worded for suggestions: nobody is emailed about them."""

    REASONS = [RejectReason.IDENTIFYING, RejectReason.ADVERTISING, RejectReason.SPAM,
               RejectReason.ABUSIVE, RejectReason.DUPLICATE, RejectReason.OTHER]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose a reason"))] + [
            (reason.value, reason.label) for reason in self.REASONS
        ]
        self.fields["note"].label = _("Note for the decision log (optional)")
        self.fields["note"].help_text = _(
            "Nobody is emailed. Required for ‘another reason’, for example: no public source "
            "supports it."
        )


@admin.register(EntrySuggestion)
class EntrySuggestionAdmin(ModeratedAdmin):
    list_display = ["__str__", "kind", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "entry__name"]
    list_select_related = ["entry"]
    actions = ["accept_selected", "reject_selected"]
    fields = ["kind", "entry_link", "status", "submitted_at", "decided_at", "history",
              "identifying_details", "name", "role", "position", "institution", "city",
              "country", "description", "correction", "sources", "email"]
    readonly_fields = ["kind", "entry_link", "status", "submitted_at", "decided_at", "history",
                       "identifying_details", "email"]
    identifying_fields = ["description", "correction"]
    reject_form_class = SuggestionRejectForm
    publish_label = _("Save and accept")
    reject_title = _("Reject this suggestion")
    reject_explanation = _("Nobody is emailed. Any email address the suggestion holds is "
                           "deleted.")

    def has_add_permission(self, request):
        return False  # suggestions come from the public form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # A decided suggestion is a record: only a waiting one can be tidied before accepting.
        if obj is not None and obj.status != EntrySuggestion.Status.PENDING:
            return self.fields
        return self.readonly_fields

    @admin.display(description=_("Entry"))
    def entry_link(self, suggestion: EntrySuggestion) -> str:
        if suggestion.entry_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(
            "admin:directory_directoryentry_change", args=[suggestion.entry_id]
        ), suggestion.entry)

    @admin.display(description=_("Decisions"))
    def history(self, suggestion: EntrySuggestion) -> str:
        return decision_history(suggestion)

    def can_publish(self, suggestion: EntrySuggestion) -> bool:
        return suggestion.status == EntrySuggestion.Status.PENDING

    can_reject = can_publish

    def publish(self, request, suggestion: EntrySuggestion, *,
                changed_fields: list[str]) -> str:
        accepted = services.suggestion_accept(suggestion=suggestion, moderator=request.user,
                                              changed_fields=changed_fields)
        suggestion.entry_id = accepted.entry_id
        if accepted.entry_id is None:
            return _("Accepted. The entry it was about has been removed.")
        if accepted.kind == EntrySuggestion.Kind.NEW:
            return _("Accepted: this draft entry was made from it. Check it, add the sources "
                     "for each claim, then publish it.")
        return _("Accepted: make the correction in this entry, with its source.")

    def after_publish_url(self, suggestion: EntrySuggestion) -> str:
        if suggestion.entry_id is None:
            return self.queue_url()
        return reverse("admin:directory_directoryentry_change", args=[suggestion.entry_id])

    def reject(self, request, suggestion: EntrySuggestion, *, reason: str, note: str) -> None:
        services.suggestion_reject(suggestion=suggestion, moderator=request.user,
                                   reason=reason, note=note)

    def queue_url(self) -> str:
        return reverse("admin:directory_suggestionawaitingreview_changelist")

    @admin.action(description=_("Accept the selected suggestions"), permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[EntrySuggestion]):
        accepted = 0
        for suggestion in queryset:
            try:
                services.suggestion_accept(suggestion=suggestion, moderator=request.user)
                accepted += 1
            except ValidationError as error:
                self.message_user(request, f"{suggestion}: {' '.join(error.messages)}",
                                  messages.ERROR)
        if accepted:
            self.message_user(request, ngettext(
                "Accepted %d suggestion. New entries are drafts until you publish them.",
                "Accepted %d suggestions. New entries are drafts until you publish them.",
                accepted) % accepted)

    @admin.action(description=_("Reject the selected suggestions…"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[EntrySuggestion]):
        form = SuggestionRejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for suggestion in queryset:
                try:
                    services.suggestion_reject(
                        suggestion=suggestion, moderator=request.user,
                        reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                    )
                    rejected += 1
                except ValidationError as error:
                    self.message_user(request, f"{suggestion}: {' '.join(error.messages)}",
                                      messages.ERROR)
            if rejected:
                self.message_user(request, ngettext("Rejected %d suggestion.",
                                                    "Rejected %d suggestions.", rejected)
                                  % rejected)
            return HttpResponseRedirect(self.queue_url())
        return TemplateResponse(request, "directory/admin/reject.html", {
            **self.admin_site.each_context(request),
            "title": _("Reject suggestions"),
            "opts": self.opts,
            "form": form,
            "suggestions": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(SuggestionAwaitingReview)
class SuggestionAwaitingReviewAdmin(EntrySuggestionAdmin):
    list_display = ["__str__", "kind", "submitted_at", "identifying_count"]
    list_filter = ["kind"]
    ordering = ["submitted_at"]  # oldest first: nobody waits longest

    def get_queryset(self, request):
        return super().get_queryset(request).pending().order_by("submitted_at", "id")


class _StoryLinkFormSet(BaseInlineFormSet):
    """Saves through the services, so that each link made, changed or removed is logged on the
    story with the moderator who did it."""

    moderator = None

    def save_new(self, form, commit=True):
        return services.story_link_add(story=self.instance, entry=form.cleaned_data["entry"],
                                       role=form.cleaned_data["role"], moderator=self.moderator)

    def save_existing(self, form, obj, commit=True):
        return services.story_link_change(link=obj, entry=form.cleaned_data["entry"],
                                          role=form.cleaned_data["role"],
                                          moderator=self.moderator)

    def delete_existing(self, obj, commit=True):
        services.story_link_remove(link=obj, moderator=self.moderator)


class StoryDirectoryLinkInline(admin.TabularInline):
    """On a story's admin page: link what the author typed ("who did it", "where") to
    directory entries. The entry's page then lists the story (if it is published) and counts
    its result (if the author agreed to statistics)."""

    model = StoryDirectoryLink
    formset = _StoryLinkFormSet
    fields = ["role", "entry"]
    autocomplete_fields = ["entry"]
    extra = 0
    verbose_name_plural = _("directory links (who did it, where)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.moderator = request.user
        return formset


# Stories are edited in the stories app's admin; the directory adds its links there.
StoryAdmin.inlines = [*StoryAdmin.inlines, StoryDirectoryLinkInline]
