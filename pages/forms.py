from django import forms
from django.utils.translation import gettext_lazy as _

# One line: a line break in an email header would start a new header.
from directory.validators import validate_one_line
from hindsight.lib.script_checks import ScriptCheckedForm
from stories.validators import validate_not_blank

SHOWN_SALT = "pages.contact-shown"


class ContactForm(ScriptCheckedForm):
    shown_salt = SHOWN_SALT

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
