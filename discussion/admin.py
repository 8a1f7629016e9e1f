from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from discussion import services
from discussion.models import BlockedTerm, ClosedDiscussion, Comment, CommentReport
from discussion.targets import commentable, registered_commentables
from moderation.admin import ModeratedAdmin, decision_history


class ReportInline(admin.TabularInline):
    model = CommentReport
    fields = ["reason", "note", "resolved", "created_at"]
    readonly_fields = ["reason", "note", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NeedsReviewFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("review", _("Needs a moderator (held or reported)"))]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.needing_review()
        return queryset


class PageKindFilter(admin.SimpleListFilter):
    """Which kind of page a comment is on: only the kinds that take comments."""

    title = _("kind of page")
    parameter_name = "page_kind"

    def lookups(self, request, model_admin):
        return [(entry.kind, entry.model._meta.verbose_name_plural)
                for entry in registered_commentables()]

    def queryset(self, request, queryset):
        entry = commentable(self.value() or "")
        if entry is None:
            return queryset
        return queryset.filter(content_type=ContentType.objects.get_for_model(entry.model))


class CommentAdminForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "cols": 100,
                                                 "class": "story-text"})}


@admin.register(Comment)
class CommentAdmin(ModeratedAdmin):
    form = CommentAdminForm
    list_display = ["name", "short_body", "on_page", "status", "held_because", "reports_open",
                    "identifying_count", "created_at"]
    list_filter = [NeedsReviewFilter, "status", "by_story_author", PageKindFilter]
    search_fields = ["name", "body"]
    ordering = ["-created_at"]
    actions = ["approve_selected", "reject_selected", "mark_spam"]
    inlines = [ReportInline]
    fields = ["target_link", "parent", "status", "history", "identifying_details", "name",
              "body", "hold_reasons", "by_story_author", "created_at", "edited_at",
              "published_at"]
    readonly_fields = ["target_link", "parent", "status", "history", "identifying_details",
                       "hold_reasons", "by_story_author", "created_at", "edited_at",
                       "published_at"]
    identifying_fields = ["name", "body"]
    reject_title = _("Reject this comment")
    reject_explanation = _("The comment is taken down, or never shown. Nobody is emailed.")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("comment"))
    def short_body(self, comment: Comment) -> str:
        return comment.body[:120]

    @admin.display(description=_("held because"))
    def held_because(self, comment: Comment) -> str:
        return ", ".join(comment.hold_reasons) or "—"

    @admin.display(description=_("open reports"))
    def reports_open(self, comment: Comment) -> int:
        return comment.reports.filter(resolved=False).count()

    @admin.display(description=_("on the page"))
    def on_page(self, comment: Comment) -> str:
        target = comment.target
        if target is None:
            return "—"
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    @admin.display(description=_("on the page"))
    def target_link(self, comment: Comment) -> str:
        target = comment.target
        if target is None:
            return "—"
        return format_html('<a href="{}">{}</a> ({})', target.get_absolute_url(), target,
                           target._meta.verbose_name)

    @admin.display(description=_("Decisions"))
    def history(self, comment: Comment) -> str:
        return decision_history(comment)

    def can_publish(self, comment: Comment) -> bool:
        # Approving a published comment clears its reports: "keep it".
        return comment.status in (Comment.Status.PENDING, Comment.Status.REJECTED,
                                  Comment.Status.PUBLISHED)

    def can_reject(self, comment: Comment) -> bool:
        return comment.status in (Comment.Status.PENDING, Comment.Status.PUBLISHED)

    def decision_buttons(self, comment):
        buttons = super().decision_buttons(comment)
        if comment is not None and comment.status == Comment.Status.PUBLISHED:
            buttons = [(name, _("Save and keep it published") if name == "_publish" else label)
                       for name, label in buttons]
        return buttons

    def publish(self, request, comment: Comment, *, changed_fields: list[str]) -> str:
        services.comment_approve(comment=comment, moderator=request.user,
                                 changed_fields=changed_fields)
        return _("Comment published: %s") % comment

    def reject(self, request, comment: Comment, *, reason: str, note: str) -> None:
        services.comment_reject(comment=comment, moderator=request.user, reason=reason,
                                note=note)

    @admin.action(description=_("Approve and publish the selected comments"),
                  permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        done = 0
        for comment in queryset:
            try:
                services.comment_approve(comment=comment, moderator=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        self.message_user(request, ngettext("Published %d comment.", "Published %d comments.",
                                            done) % done)

    @admin.action(description=_("Reject the selected comments"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        for comment in queryset:
            services.comment_reject(comment=comment, moderator=request.user)
        self.message_user(request, _("Rejected."))

    @admin.action(description=_("Mark as spam: ban the address and hide all its comments"),
                  permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset) -> None:
        hidden = sum(services.comment_mark_spam(comment=c, moderator=request.user)
                     for c in queryset)
        self.message_user(request, ngettext("Hid %d comment.", "Hid %d comments.", hidden)
                          % hidden)


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "created_at"]
    list_filter = ["kind"]


@admin.register(ClosedDiscussion)
class ClosedDiscussionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "closed_by", "closed_at"]

    def has_add_permission(self, request):
        return False  # closed from the story (or article) list, with its action
