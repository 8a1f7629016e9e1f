import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followups.models import Baseline, Expectation, FollowUp, SymptomSeverity
from stories.choices import Complication, Result
from stories.forms import SymptomFieldsMixin, clean_complication_choices
from stories.models import Story
from stories.validators import validate_not_blank


class FollowUpForm(SymptomFieldsMixin, forms.ModelForm):
    reported_on = forms.DateField(
        label=_("Which day does this report describe?"),
        help_text=_("Usually today. You can fill in an earlier point if you kept notes."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    result = forms.ChoiceField(
        label=_("Compared with before treatment, you are now:"),
        choices=Result.choices,
        widget=forms.RadioSelect,
    )
    relapses_since_last = forms.IntegerField(
        label=_("How many relapses have you had since your last report?"),
        required=False,
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    new_complications = forms.MultipleChoiceField(
        label=_("Any new complications since your last report?"),
        choices=Complication.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FollowUp
        fields = ["reported_on", "result", "relapses_since_last", "new_complications",
                  "restenosis", "repeat_procedure", "started_dmt", "body"]
        labels = {
            "restenosis": _("Have you been told the treated vein narrowed again?"),
            "repeat_procedure": _("Have you had the procedure again?"),
            "started_dmt": _("Have you started a disease-modifying therapy since treatment?"),
            "body": _("What has happened, in your own words"),
        }
        help_texts = {
            "body": _("Optional. A moderator reads it before it is shown. Please leave out "
                      "names and anything that identifies you."),
        }
        widgets = {
            "restenosis": forms.RadioSelect,
            "repeat_procedure": forms.RadioSelect,
            "started_dmt": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, story: Story, **kwargs):
        super().__init__(*args, **kwargs)
        self.story = story
        self.fields["body"].strip = False
        self.fields["body"].validators.append(_blank_or_text)
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())
        self.add_symptom_fields({})

    def clean_reported_on(self) -> datetime.date:
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        story = self.story
        treated = story.earliest_treatment_day()
        if treated is not None:
            if day < treated:
                raise forms.ValidationError(
                    _("This date is before your treatment (%(when)s).")
                    % {"when": story.treated_on_display()}
                )
        return day

    def clean_new_complications(self) -> list[str]:
        return clean_complication_choices(self.cleaned_data["new_complications"])

    def save(self, commit: bool = True) -> FollowUp:
        followup = super().save(commit=False)
        followup.story = self.story
        followup.symptoms = self.symptom_answers()
        followup.new_complications = self.cleaned_data.get("new_complications") or []
        if commit:
            followup.save()
        return followup


def _blank_or_text(value: str) -> None:
    if value:
        validate_not_blank(value)


class BaselineForm(SymptomFieldsMixin, forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["relapses_last_year", "expectation", "expectation_notes"]
        widgets = {
            "expectation": forms.RadioSelect,
            "expectation_notes": forms.Textarea(attrs={"rows": 5}),
            "relapses_last_year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expectation"].choices = Expectation.choices
        self.fields["expectation"].required = False
        self.fields["expectation_notes"].strip = False
        self.fields["relapses_last_year"].validators.append(MaxValueValidator(99))
        self.add_symptom_fields(self.instance.symptoms if self.instance.pk else {},
                                scale=SymptomSeverity)

    def save(self, commit: bool = True) -> Baseline:
        baseline = super().save(commit=False)
        baseline.symptoms = self.symptom_answers()
        if commit:
            baseline.save()
        return baseline
