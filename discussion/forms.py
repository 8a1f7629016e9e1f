from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from discussion.models import Comment
from stories.forms import ReaderReportForm
from stories.validators import validate_no_bidi_controls, validate_not_an_email, validate_not_blank

RENDERED_SALT = "discussion.form-rendered"


def rendered_at_token() -> str:
    """When the form was shown, signed: a comment sent seconds later was not typed by hand."""
    return signing.dumps(timezone.now().timestamp(), salt=RENDERED_SALT)


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=60, strip=False,
        help_text=_("Shown with your comment. A first name or a made-up name is fine."),
        validators=[validate_not_blank, validate_not_an_email, validate_no_bidi_controls],
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("Never shown. We use it to confirm your first comment and, if you like, to "
                    "tell you about replies."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, strip=False,
        help_text=_("You can use *emphasis*, **bold**, lists and > quotes. Links are shown as "
                    "text. Please be kind, and leave out anything that identifies anyone."),
        validators=[validate_not_blank],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # A field people never see: bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this empty"), required=False, strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered_at = forms.CharField(widget=forms.HiddenInput, required=False)
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def seconds_to_write(self) -> float | None:
        try:
            shown = signing.loads(self.cleaned_data.get("rendered_at") or "",
                                  salt=RENDERED_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return None
        return timezone.now().timestamp() - float(shown)


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].strip = False
        self.fields["body"].validators.append(validate_not_blank)


class ReportForm(ReaderReportForm):
    question = _("What is wrong with this comment?")
