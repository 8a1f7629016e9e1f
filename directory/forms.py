from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from directory.models import EntryKind, EntrySuggestion
from directory.validators import validate_one_line
from hindsight.lib.script_checks import SCRIPT_CHECK_FIELDS, ScriptCheckedForm
from stories.validators import validate_no_bidi_controls, validate_not_blank

SHOWN_SALT = "directory.suggestion-shown"


def _max_length(name: str) -> int:
    return EntrySuggestion._meta.get_field(name).max_length


def _line(label, name: str, *, required: bool = False, help_text="", autocomplete: str = "",
          validators=(), missing=None) -> forms.CharField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(
        label=label, max_length=_max_length(name), required=required, strip=False,
        help_text=help_text, widget=forms.TextInput(attrs=attrs),
        error_messages={"required": missing} if missing else None,
        validators=[validate_one_line, *validators, *([validate_not_blank] if required else [])],
    )


def _text(label, name: str, *, required: bool = False, help_text="", rows: int = 5,
          missing=None):
    return forms.CharField(
        label=label, max_length=_max_length(name), required=required, strip=False,
        help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing} if missing else None,
        validators=[validate_not_blank] if required else [],
    )


class _SuggestionForm(ScriptCheckedForm):
    """What every suggestion asks besides its subject: sources, an optional address, and the
    two checks against scripts (a field people never see, and the time since it was shown)."""

    shown_salt = SHOWN_SALT

    sources = _text(
        _("Where can this be checked?"), "sources", rows=4,
        help_text=_("Links to public pages, such as a hospital's own site, a published paper "
                    "or a news report, for each thing you say. We publish only what public "
                    "sources support."),
    )
    email = forms.EmailField(
        label=_("Your email address"), required=False,
        max_length=EntrySuggestion._meta.get_field("email").max_length,
        help_text=_("Only if a moderator may write to ask you about this. It is never shown, "
                    "and it is deleted once a moderator has decided."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    def suggestion_fields(self) -> dict:
        """The cleaned answers that the suggestion stores."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in SCRIPT_CHECK_FIELDS}


class NewEntryForm(_SuggestionForm):
    name = _line(_("Name of the person or centre"), "name", required=True,
                 validators=[validate_no_bidi_controls],
                 missing=_("Enter the name of the person or centre."))
    role = forms.ChoiceField(
        label=_("Who or what is it?"), choices=EntryKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a researcher, a clinician or a centre.")},
    )
    position = _line(_("Their position or job title"), "position",
                     help_text=_("For example: ‘Head of interventional radiology’."))
    institution = _line(_("Hospital, clinic or university"), "institution",
                        autocomplete="organization")
    city = _line(_("City"), "city")
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", _("Choose a country"))] + list(countries),
        required=False,
    )
    description = _text(
        _("What do they do, or what did they do?"), "description", required=True,
        help_text=_("For example: performs venous angioplasty for people with MS; led a "
                    "study of it. Please write about their work, not about patients."),
        missing=_("Say what they do or did."),
    )

    field_order = ["name", "role", "position", "institution", "city", "country", "description",
                   "sources", "email", "website", "shown_at"]


class CorrectionForm(_SuggestionForm):
    correction = _text(
        _("What should be corrected?"), "correction", required=True,
        help_text=_("Say what is wrong or missing, and what it should say instead."),
        missing=_("Say what should be corrected."),
    )

    field_order = ["correction", "sources", "email", "website", "shown_at"]


class EntryFilterForm(forms.Form):
    """Filters on the public list. Unknown values are ignored, never an error page."""

    kind = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("Any role"))] + EntryKind.choices)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries

    def filters(self) -> dict[str, str]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items()
                if value and name not in self.errors}
