from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from discussion.services import discussion_close, discussion_reopen
from moderation.admin import PUBLISH, ModeratedAdmin, decision_history, reason_page
from moderation.forms import reject_form
from stories import services
from stories.admin_forms import REVISION_TEXT_FIELDS, RevisionAdminForm, StoryAdminForm
from stories.models import (
    Story,
    StoryAwaitingReview,
    StoryConsent,
    StoryReport,
    StoryRevision,
)


class StoryConsentInline(admin.TabularInline):
    model = StoryConsent
    fields = ["purpose", "granted", "version", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def story_links(story: Story) -> str:
    """A story's moderation page and, when it is published, its public page."""
    links = [format_html('<a href="{}">{}</a>',
                         reverse("admin:stories_story_change", args=[story.pk]), story)]
    if story.is_public:
        links.append(format_html('<a href="{}">{}</a>', story.get_absolute_url(),
                                 _("its public page")))
    return format_html_join(" · ", "{}", ((link,) for link in links))


class StoryReportInline(admin.TabularInline):
    """What readers reported about the story; dealt with by the decision taken on it."""

    model = StoryReport
    fields = ["reason", "note", "resolved", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("reports from readers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Shown only when there is something readers said.
        return obj is not None and obj.reports.exists() and super().has_view_permission(
            request, obj)


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("open", _("Reported by a reader, not yet dealt with"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(reports__resolved=False,
                                   status=Story.Status.APPROVED).distinct()
        return queryset


@admin.register(Story)
class StoryAdmin(ModeratedAdmin):
    form = StoryAdminForm
    list_display = [
        "title", "treatment", "status", "result", "procedure_status", "submitted_at", "is_demo",
    ]
    list_filter = [ReportedFilter, "status", "treatment", "result", "procedure_status",
                   "is_demo"]
    search_fields = ["title", "display_name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["treatment"]
    actions = ["approve_selected", "reject_selected", "close_comments", "reopen_comments"]
    inlines = [StoryReportInline, StoryConsentInline]
    identifying_fields = ["title", "body", "display_name", "city", "clinic", "treated_by",
                          "complications_other"]
    publish_label = _("Save and publish")
    reject_title = _("Reject this story")
    reject_explanation = _("The author is emailed the reason and your note.")
    readonly_fields = [
        "status", "slug", "submitted_at", "email_confirmed_at", "published_at", "updated_at",
        "consent_publish", "consent_statistics", "is_demo", "public_link", "history",
        "identifying_details",
    ]
    fieldsets = [
        (_("Moderation"), {"fields": [
            "status", "public_link", "history", "submitted_at", "email_confirmed_at",
            "published_at", "updated_at", "is_demo",
        ]}),
        (_("The story"), {
            "description": _("Edit to remove names, places or details that identify anyone "
                             "before approving. Every edit is recorded."),
            "fields": ["identifying_details", "title", "body", "display_name"],
        }),
        (_("The treatment"), {"fields": [
            "treatment", "procedure_status", "treated_month", "treated_year", "country", "city",
            "clinic", "treated_by", "procedure_kind", "veins",
        ]}),
        (_("How it went"), {"fields": [
            "result", "symptoms", "change_onset", "complications", "complications_other",
            "treated_again", "cost_amount", "cost_currency",
        ]}),
        (_("About the author"), {"fields": ["ms_type", "diagnosis_year", "age_band", "sex"]}),
        (_("Consent"), {"fields": ["consent_publish", "consent_statistics"]}),
    ]

    def has_add_permission(self, request):
        # Stories come from their authors, through the public form.
        return False

    def view_on_site(self, story: Story) -> str | None:
        return story.get_absolute_url() if story.is_public else None

    def has_delete_permission(self, request, obj=None):
        # Removing a story is the author's right (erasure), not a moderation tool.
        return request.user.is_superuser

    @admin.display(description=_("Public page"))
    def public_link(self, story: Story) -> str:
        if story.is_public:
            return format_html('<a href="{}">{}</a>', story.get_absolute_url(), story.slug)
        return "—"

    @admin.display(description=_("Decisions"))
    def history(self, story: Story) -> str:
        return decision_history(story)

    # Decisions, taken from the story's own page after its edits are saved.
    def can_publish(self, story: Story) -> bool:
        if story.status == Story.Status.APPROVED:
            return story.reports.filter(resolved=False).exists()  # keep it, reports read
        return story.status in (Story.Status.PENDING, Story.Status.REJECTED)

    def decision_buttons(self, story):
        buttons = super().decision_buttons(story)
        if story is not None and story.status == Story.Status.APPROVED:
            buttons = [(name, _("Save and keep it published") if name == PUBLISH else label)
                       for name, label in buttons]
        return buttons

    def can_reject(self, story: Story) -> bool:
        return story.status in (Story.Status.PENDING, Story.Status.APPROVED)

    def publish(self, request, story: Story, *, changed_fields: list[str]) -> str:
        if story.status == Story.Status.APPROVED:
            services.story_keep_published(story=story, moderator=request.user,
                                          changed_fields=changed_fields)
            return _("Kept published; the reports are marked dealt with: %s") % story.title
        services.story_approve(story=story, moderator=request.user,
                               changed_fields=changed_fields)
        return _("Approved and published: %s") % story.title

    def reject(self, request, story: Story, *, reason: str, note: str) -> None:
        services.story_reject(story=story, moderator=request.user, reason=reason, note=note)

    def queue_url(self) -> str:
        return reverse("admin:stories_storyawaitingreview_changelist")

    def after_publish_url(self, story: Story) -> str:
        if story.status == Story.Status.APPROVED and story.published_at and \
                story.reports.exists():
            return reverse("admin:stories_story_changelist") + "?reported=open"
        return self.queue_url()

    @admin.action(description=_("Approve and publish the selected stories"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._check_can_moderate(request)
        approved, refused = 0, []
        for story in queryset:
            try:
                services.story_approve(story=story, moderator=request.user)
                approved += 1
            except ValidationError:
                refused.append(story.title)
        if approved:
            self.message_user(
                request,
                ngettext("Approved %d story.", "Approved %d stories.", approved) % approved,
            )
        if refused:
            self.message_user(
                request,
                _("Not approved (they were not waiting for review): %s") % ", ".join(refused),
                messages.WARNING,
            )

    @admin.action(description=_("Close comments on the selected stories"),
                  permissions=["change"])
    def close_comments(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story in queryset:
            discussion_close(target=story, moderator=request.user)
        self.message_user(request, _("Comments closed."))

    @admin.action(description=_("Reopen comments on the selected stories"),
                  permissions=["change"])
    def reopen_comments(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story in queryset:
            discussion_reopen(target=story, moderator=request.user)
        self.message_user(request, _("Comments reopened."))

    @admin.action(description=_("Reject the selected stories…"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Story]):
        self._check_can_moderate(request)
        form = reject_form(request)
        if form.is_valid():
            rejected = 0
            for story in queryset:
                try:
                    services.story_reject(
                        story=story,
                        moderator=request.user,
                        reason=form.cleaned_data["reason"],
                        note=form.cleaned_data["note"],
                    )
                    rejected += 1
                except ValidationError as error:
                    self.message_user(request, f"{story.title}: {' '.join(error.messages)}",
                                      messages.ERROR)
            if rejected:
                self.message_user(
                    request,
                    ngettext("Rejected %d story.", "Rejected %d stories.", rejected) % rejected,
                )
            return HttpResponseRedirect(self.queue_url())
        return reason_page(self, request, form, queryset, title=_("Reject stories"))

    def _check_can_moderate(self, request: HttpRequest) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied


@admin.register(StoryAwaitingReview)
class StoryAwaitingReviewAdmin(StoryAdmin):
    list_display = ["title", "treatment", "result", "procedure_status", "email_confirmed_at",
                    "identifying_count"]
    list_filter = ["treatment", "result", "procedure_status"]
    date_hierarchy = None
    ordering = ["email_confirmed_at"]  # oldest first: nobody waits longest

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review().order_by("email_confirmed_at")


@admin.register(StoryRevision)
class StoryRevisionAdmin(ModeratedAdmin):
    """Authors' edits of published stories, each shown as what it would change. The moderator
    may edit the proposed text (to take out identifying details) before approving it."""

    form = RevisionAdminForm
    list_display = ["__str__", "story", "status", "submitted_at", "identifying_count"]
    list_filter = ["status"]
    list_select_related = ["story"]
    ordering = ["submitted_at"]
    readonly_fields = ["story_link", "status", "submitted_at", "changes_table",
                       "identifying_details"]
    publish_label = _("Save and publish this edit")
    reject_title = _("Reject this edit")
    reject_explanation = _("The published version stays as it is. The author is not emailed.")

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, *REVISION_TEXT_FIELDS]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=StoryRevision.Status.PENDING)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Story"))
    def story_link(self, revision: StoryRevision) -> str:
        return story_links(revision.story)

    @admin.display(description=_("What the edit changes"))
    def changes_table(self, revision: StoryRevision) -> str:
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            _("Field"), _("Published"), _("Proposed"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                             revision.changes()),
        )

    def identifying_texts(self, revision: StoryRevision) -> list[tuple[str, str]]:
        # Only what the author changed: the rest of the story is not touched by approving.
        changed = set(revision.authors_fields())
        return [(Story._meta.get_field(name).verbose_name,
                 str(revision.proposed.get(name) or ""))
                for name in REVISION_TEXT_FIELDS if name in changed]

    def fingerprint_values(self, revision: StoryRevision) -> list:
        # The edit is checked against the story too: approving applies it to the story.
        return [*super().fingerprint_values(revision),
                *super().fingerprint_values(revision.story)]

    def decision_subject(self, revision: StoryRevision):
        return revision.story

    def can_publish(self, revision: StoryRevision) -> bool:
        return revision.status == StoryRevision.Status.PENDING

    can_reject = can_publish

    def publish(self, request, revision: StoryRevision, *, changed_fields: list[str]) -> str:
        story = services.revision_approve(revision=revision, moderator=request.user)
        return _("The edit is published: %s") % story.title

    def reject(self, request, revision: StoryRevision, *, reason: str, note: str) -> None:
        services.revision_reject(revision=revision, moderator=request.user, reason=reason,
                                 note=note)

    @admin.action(description=_("Approve the selected edits"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        for revision in queryset:
            try:
                services.revision_approve(revision=revision, moderator=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        self.message_user(request, _("Approved edits are now published."))

    @admin.action(description=_("Reject the selected edits…"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset):
        form = reject_form(request)
        if form.is_valid():
            for revision in queryset:
                services.revision_reject(revision=revision, moderator=request.user,
                                         reason=form.cleaned_data["reason"],
                                         note=form.cleaned_data["note"])
            self.message_user(request, _("Rejected; the published version stays."))
            return HttpResponseRedirect(request.get_full_path())
        return reason_page(self, request, form, queryset, title=_("Reject edits"))

    actions = ["approve_selected", "reject_selected"]
