from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from moderation.models import RejectReason


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason"))] + RejectReason.choices
    )
    note = forms.CharField(
        label=_("Note to the author (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author with the decision. Required for ‘another reason’."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == RejectReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say why when the reason is ‘another reason’."))
        return data


def reject_form(request: HttpRequest) -> RejectForm:
    """The reason form, bound once the moderator has sent it (an admin action's first POST
    only carries the selection)."""
    return RejectForm(request.POST if "reason" in request.POST else None)
