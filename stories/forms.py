import datetime

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.validators import MinLengthValidator
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from stories.choices import (
    CURRENCIES,
    PROCEDURE_STATUS_PUBLIC,
    AgeBand,
    ChangeOnset,
    Complication,
    MsType,
    ProcedureKind,
    ProcedureStatus,
    ReportReason,
    Result,
    Sex,
    Symptom,
    SymptomChange,
    TreatedAgain,
    Vein,
)
from stories.models import CONSENT_TEXTS, REPORT_NOTE_MAX_LENGTH, Story
from stories.validators import (
    validate_no_bidi_controls,
    validate_not_an_email,
    validate_not_blank,
)
from treatments.models import Treatment

EARLIEST_YEAR = 1950
MONTH_CHOICES = [("", _("Month (if you remember)"))] + [(n, name) for n, name in MONTHS.items()]

# Fields that only make sense for someone who had the procedure.
PROCEDURE_FIELDS = [
    "treated_month", "treated_year", "country", "city", "clinic", "treated_by",
    "procedure_kind", "veins", "result", "change_onset", "complications",
    "complications_other", "treated_again", "cost_amount", "cost_currency",
]


def symptom_field_name(code: str) -> str:
    return f"symptom_{code}"


class SymptomFieldsMixin:
    """One question per symptom (better/same/worse unless another scale is given), packed
    into a dict by `symptom_answers`."""

    def add_symptom_fields(self, current: dict[str, str], scale=SymptomChange) -> None:
        for symptom in Symptom:
            name = symptom_field_name(symptom.value)
            # "No answer" comes first and is chosen by default, so an answer picked by
            # mistake can be taken back without JavaScript.
            self.fields[name] = forms.ChoiceField(
                label=symptom.label,
                choices=[("", _("No answer"))] + scale.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            if symptom.value in current:
                self.initial[name] = current[symptom.value]

    def symptom_fields(self) -> list[forms.BoundField]:
        return [self[symptom_field_name(symptom.value)] for symptom in Symptom]

    def symptom_answers(self) -> dict[str, str]:
        return {
            symptom.value: answer
            for symptom in Symptom
            if (answer := self.cleaned_data.get(symptom_field_name(symptom.value)))
        }


def clean_complication_choices(chosen: list[str]) -> list[str]:
    if Complication.NONE in chosen and len(chosen) > 1:
        raise forms.ValidationError(
            _("You chose ‘None’ and a complication. Choose ‘None’ alone, or untick it.")
        )
    return chosen


class StoryForm(SymptomFieldsMixin, forms.ModelForm):
    """The public 'share your story' form. Server-owned fields (status, slug, dates) are not
    on it; the view builds the instance and the service saves it."""

    treatment = forms.ModelChoiceField(
        label=_("Which treatment is your story about?"),
        queryset=Treatment.objects.active(),
        empty_label=None,
    )
    procedure_status = forms.ChoiceField(
        label=_("Did you get the treatment?"),
        choices=ProcedureStatus.choices,
        widget=forms.RadioSelect,
    )
    treated_month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    treated_year = forms.IntegerField(
        label=_("Year"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    veins = forms.MultipleChoiceField(
        label=_("Which veins were treated, if you know?"),
        choices=Vein.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.ChoiceField(
        label=_("Do you feel that it was a success? How are you compared with before treatment?"),
        choices=Result.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    procedure_kind = forms.ChoiceField(
        label=_("Balloon or stent?"), choices=ProcedureKind.choices, required=False,
        widget=forms.RadioSelect,
    )
    change_onset = forms.ChoiceField(
        label=_("How long after treatment did any change come?"),
        choices=ChangeOnset.choices, required=False, widget=forms.RadioSelect,
    )
    treated_again = forms.ChoiceField(
        label=_("Were you treated again (a repeat procedure)?"),
        choices=TreatedAgain.choices, required=False, widget=forms.RadioSelect,
    )
    complications = forms.MultipleChoiceField(
        label=_("Did you have any complications?"),
        choices=Complication.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost_currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", _("Choose a currency"))] + CURRENCIES, required=False
    )
    ms_type = forms.ChoiceField(
        label=_("Type of MS"),
        choices=[("", _("Prefer not to say"))] + MsType.choices,
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age"), choices=[("", _("Prefer not to say"))] + AgeBand.choices, required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("Prefer not to say"))] + Sex.choices, required=False
    )
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", _("Choose a country"))] + list(countries),
        required=False,
    )
    diagnosis_year = forms.IntegerField(
        label=_("Year you were diagnosed"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent_publish = forms.BooleanField(label=CONSENT_TEXTS["publish"], required=False)
    consent_statistics = forms.BooleanField(label=CONSENT_TEXTS["statistics"], required=False)
    reminders_enabled = forms.BooleanField(
        label=_("Email me 3, 6, 12 and 24 months after my treatment (then once a year) to ask "
                "how I am. Every email has a link to stop them."),
        required=False,
    )

    class Meta:
        model = Story
        fields = [
            "treatment", "procedure_status", "treated_month", "treated_year", "country", "city",
            "clinic", "treated_by", "procedure_kind", "veins", "result", "change_onset",
            "complications", "complications_other", "treated_again", "cost_amount",
            "cost_currency", "title", "body", "ms_type", "diagnosis_year", "age_band", "sex",
            "display_name", "email", "consent_publish", "consent_statistics",
            "reminders_enabled",
        ]
        labels = {
            "city": _("City"),
            "clinic": _("Clinic or hospital"),
            "treated_by": _("Who did your treatment?"),
            "procedure_kind": _("Balloon or stent?"),
            "change_onset": _("How long after treatment did any change come?"),
            "complications_other": _("If something else, what was it?"),
            "treated_again": _("Were you treated again (a repeat procedure)?"),
            "cost_amount": _("What did it cost you?"),
            "title": _("A title for your story"),
            "body": _("Your story, in your own words"),
            "age_band": _("Age"),
            "sex": _("Sex"),
            "display_name": _("Display name"),
            "email": _("Email address"),
        }
        help_texts = {
            "country": _("Where you were treated."),
            "title": _("For example: ‘Two years after my venoplasty’."),
            "body": _(
                "What happened, what changed and what did not. You can use *emphasis*, "
                "**bold**, lists and > quotes. Please leave out names of other people and "
                "anything that identifies you."
            ),
            "display_name": _("Shown with your story. A first name or a made-up name is fine."),
            "email": _(
                "Never shown. We send a link to confirm it, tell you when your story is "
                "published, and later ask how you are."
            ),
            "cost_amount": _("The total you paid, in your currency."),
        }
        widgets = {
            "procedure_kind": forms.RadioSelect,
            "change_onset": forms.RadioSelect,
            "treated_again": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 12}),
            "cost_amount": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.now().year
        for name in ("title", "body", "display_name", "city", "clinic", "treated_by",
                     "complications_other"):
            # Text is stored exactly as typed; blank-only answers are refused instead.
            self.fields[name].strip = False
        for name in ("title", "body", "display_name"):
            self.fields[name].validators.append(validate_not_blank)
        # Required only for someone who had the procedure; the page must not call them optional.
        for name in ("treated_year", "result"):
            self.fields[name].conditionally_required = True
        self.fields["display_name"].validators.append(validate_not_an_email)
        self.fields["body"].validators.append(
            MinLengthValidator(
                30, _("Tell a little more: at least 30 characters (you wrote %(show_value)d).")
            )
        )
        for field_name in ("treated_year", "diagnosis_year"):
            field = self.fields[field_name]
            field.widget.attrs.update({"min": EARLIEST_YEAR, "max": this_year})
            field.validators.append(_year_range_validator(EARLIEST_YEAR, this_year))
        self.add_symptom_fields(self.instance.symptoms if self.instance.pk else {})
        if "treatment" in self.fields and len(self.fields["treatment"].queryset) == 1:
            self.fields["treatment"].widget = forms.HiddenInput()
            self.fields["treatment"].initial = self.fields["treatment"].queryset[0]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean_complications(self) -> list[str]:
        return clean_complication_choices(self.cleaned_data["complications"])

    def clean(self) -> dict:
        data = super().clean()
        had_it = data.get("procedure_status") == ProcedureStatus.HAD
        if had_it:
            self._clean_procedure(data)
        elif "procedure_status" in data:
            # Answers to questions that did not apply are dropped, not stored.
            for name in PROCEDURE_FIELDS:
                data[name] = _empty_value(name)
            for symptom in Symptom:
                data[symptom_field_name(symptom.value)] = ""
        asks_consent = "consent_publish" in self.fields
        if asks_consent and not data.get("consent_publish") and not data.get("consent_statistics"):
            self.add_error(
                "consent_publish",
                _("Tick at least one: publish your story, or include your answers in the "
                  "statistics (or both)."),
            )
        return data

    def _clean_procedure(self, data: dict) -> None:
        year, month = data.get("treated_year"), data.get("treated_month")
        if year is None and "treated_year" not in self.errors:
            self.add_error("treated_year", _("Enter the year you were treated."))
        now = timezone.now()
        if year and month and datetime.date(year, month, 1) > now.date():
            self.add_error("treated_month", _("The month of treatment is in the future."))
        if not data.get("result") and "result" not in self.errors:
            self.add_error("result", _("Choose how you are compared with before treatment."))
        complications = data.get("complications") or []
        other_text = (data.get("complications_other") or "").strip()
        if Complication.OTHER in complications and not other_text:
            self.add_error("complications_other", _("Say what the other complication was."))
        if data.get("cost_amount") is not None and not data.get("cost_currency"):
            self.add_error("cost_currency", _("Choose the currency you paid in."))
        if data.get("cost_amount") is not None and data["cost_amount"] < 0:
            self.add_error("cost_amount", _("The cost cannot be negative."))
        diagnosed = data.get("diagnosis_year")
        if year and diagnosed and diagnosed > year:
            self.add_error(
                "diagnosis_year", _("The year of diagnosis is after the year of treatment.")
            )

    def save(self, commit: bool = True) -> Story:
        story = super().save(commit=False)
        story.veins = self.cleaned_data.get("veins") or []
        story.complications = self.cleaned_data.get("complications") or []
        story.symptoms = self.symptom_answers()
        if commit:
            story.save()
        return story


class StoryEditForm(StoryForm):
    """The author's own edit: the same questions, without the treatment, email and consents
    (each of those has its own page)."""

    treatment = None
    consent_publish = None
    consent_statistics = None
    reminders_enabled = None

    class Meta(StoryForm.Meta):
        fields = [name for name in StoryForm.Meta.fields
                  if name not in ("treatment", "email", "consent_publish", "consent_statistics",
                                  "reminders_enabled")]


def _empty_value(name: str):
    model_field = Story._meta.get_field(name)
    if model_field.null:
        return None
    return model_field.get_default()


def _year_range_validator(lowest: int, highest: int):
    def validate(value: int) -> None:
        if value is not None and not lowest <= value <= highest:
            raise forms.ValidationError(
                _("Enter a year between %(lowest)s and %(highest)s.")
                % {"lowest": lowest, "highest": highest}
            )

    return validate


class StoryFilterForm(forms.Form):
    """Filters on the public story list. Unknown values are ignored, never an error page."""

    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Any result"))] + Result.choices, required=False
    )
    country = forms.ChoiceField(label=_("Country treated in"), required=False)
    ms_type = forms.ChoiceField(
        label=_("Type of MS"), choices=[("", _("Any type"))] + MsType.choices, required=False
    )
    procedure_status = forms.ChoiceField(
        label=_("Had the procedure"),
        choices=[("", _("Anyone"))] + list(PROCEDURE_STATUS_PUBLIC.items()),
        required=False,
    )

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {
                name: value
                for name, value in self.cleaned_data.items()
                if value and name not in self.errors
            }
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReaderReportForm(forms.Form):
    """A reader tells moderators what is wrong with something published: a reason and an
    optional note. Story and comment reports both use it; a subclass names the thing in
    `question`."""

    question = _("What is wrong with this?")

    reason = forms.ChoiceField(
        label=question, choices=ReportReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong, even if it is “Something else”.")},
    )
    note = forms.CharField(
        label=_("Anything a moderator should know"), required=False,
        max_length=REPORT_NOTE_MAX_LENGTH,
        help_text=_("At most 1,000 characters. Only moderators read it; it is never published."),
        validators=[validate_no_bidi_controls],
        error_messages={"max_length": _(
            "Shorten the note to 1,000 characters or fewer: it has %(show_value)d."
        )},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.question
        # No maxlength on the box: a browser cuts a longer paste without a word. The server
        # says how long it is instead, and keeps all of it in the box to shorten.
        self.fields["note"].widget.attrs.pop("maxlength", None)


class StoryReportForm(ReaderReportForm):
    question = _("What is wrong with this story?")
