from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from discussion.services import discussion_close, discussion_reopen
from moderation.admin import reason_page
from moderation.forms import reject_form
from moderation.services import decisions_for
from stories import services
from stories.models import Story, StoryAwaitingReview, StoryConsent, StoryRevision


class StoryConsentInline(admin.TabularInline):
    model = StoryConsent
    fields = ["purpose", "granted", "version", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = [
        "title", "treatment", "status", "result", "procedure_status", "submitted_at", "is_demo",
    ]
    list_filter = ["status", "treatment", "result", "procedure_status", "is_demo"]
    search_fields = ["title", "display_name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["treatment"]
    actions = ["approve_selected", "reject_selected", "close_comments", "reopen_comments"]
    inlines = [StoryConsentInline]
    change_form_template = "admin/stories/story/change_form.html"
    readonly_fields = [
        "status", "slug", "submitted_at", "email_confirmed_at", "published_at", "updated_at",
        "consent_publish", "consent_statistics", "is_demo", "public_link", "history",
    ]
    fieldsets = [
        (_("Moderation"), {"fields": [
            "status", "public_link", "history", "submitted_at", "email_confirmed_at",
            "published_at", "updated_at", "is_demo",
        ]}),
        (_("The story"), {
            "description": _("Edit to remove names, places or details that identify anyone "
                             "before approving. Every edit is recorded."),
            "fields": ["title", "body", "display_name"],
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
        decisions = decisions_for(story)
        if not decisions:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {} {}</li>",
                (
                    (
                        d.created_at.strftime("%Y-%m-%d %H:%M"),
                        d.get_action_display(),
                        d.moderator or _("the author"),
                        f"· {d.get_reason_display()}" if d.reason else "",
                    )
                    for d in decisions
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            services.story_record_edit(
                story=obj, moderator=request.user, changed_fields=list(form.changed_data)
            )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:story_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="{}_{}_approve".format(*info),
            ),
            path(
                "<int:story_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
            *super().get_urls(),
        ]

    def _check_can_moderate(self, request: HttpRequest) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied

    def approve_view(self, request: HttpRequest, story_id: int) -> HttpResponse:
        self._check_can_moderate(request)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(story_id))
        story = get_object_or_404(Story, pk=story_id)
        try:
            services.story_approve(story=story, moderator=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("Approved and published: %s") % story.title)
        return HttpResponseRedirect(self._queue_url())

    def reject_view(self, request: HttpRequest, story_id: int) -> HttpResponse:
        self._check_can_moderate(request)
        story = get_object_or_404(Story, pk=story_id)
        return self._reject(request, Story.objects.filter(pk=story.pk), single=story)

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
        return self._reject(request, queryset)

    def _reject(self, request, queryset, single: Story | None = None) -> HttpResponse:
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
            return HttpResponseRedirect(self._queue_url())
        return reason_page(self, request, form, queryset, title=_("Reject stories"),
                           single=single)

    def _change_url(self, story_id: int) -> str:
        return reverse("admin:stories_story_change", args=[story_id])

    def _queue_url(self) -> str:
        return reverse("admin:stories_storyawaitingreview_changelist")


@admin.register(StoryAwaitingReview)
class StoryAwaitingReviewAdmin(StoryAdmin):
    list_display = ["title", "treatment", "result", "procedure_status", "email_confirmed_at"]
    list_filter = ["treatment", "result", "procedure_status"]
    date_hierarchy = None
    ordering = ["email_confirmed_at"]  # oldest first: nobody waits longest

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review().order_by("email_confirmed_at")

    def get_urls(self):
        # The approve and reject views are registered once, under StoryAdmin.
        return super(StoryAdmin, self).get_urls()


@admin.register(StoryRevision)
class StoryRevisionAdmin(admin.ModelAdmin):
    """Authors' edits of published stories, each shown as what it would change."""

    list_display = ["__str__", "story", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["story"]
    ordering = ["submitted_at"]
    readonly_fields = ["story", "status", "submitted_at", "changes_table"]
    fields = readonly_fields
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=StoryRevision.Status.PENDING)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("What the edit changes"))
    def changes_table(self, revision: StoryRevision) -> str:
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            _("Field"), _("Published"), _("Proposed"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                             revision.changes()),
        )

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
