from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# One line: a line break in an email header would start a new header.
from directory.validators import validate_one_line
from stories.validators import validate_not_blank

SHOWN_SALT = "pages.contact-shown"


def shown_at_token() -> str:
    """When the form was shown, signed: a message sent a second later was not typed by hand."""
    return signing.dumps(timezone.now().timestamp(), salt=SHOWN_SALT)


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=100, required=False, validators=[validate_one_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        # Django's address check already refuses line breaks and control characters.
        label=_("Your email address"), max_length=254,
        help_text=_("So that we can answer you. It is never shown on the site."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=150, validators=[validate_not_blank, validate_one_line],
    )
    message = forms.CharField(
        label=_("Your message"), max_length=5000, validators=[validate_not_blank],
        help_text=_("At most 5,000 characters. Please leave out medical details you do not "
                    "need to tell us."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Hidden from people (and from screen readers); bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this empty"), required=False, strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def seconds_to_write(self) -> float | None:
        """Seconds since the form was shown, or None if the token is missing or forged."""
        try:
            shown = signing.loads(self.cleaned_data.get("shown_at") or "", salt=SHOWN_SALT,
                                  max_age=24 * 3600)
            return timezone.now().timestamp() - float(shown)
        except (signing.BadSignature, TypeError, ValueError):
            return None
