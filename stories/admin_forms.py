"""Form fields for moderators: coded answers as checkboxes and selects, not JSON text."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from stories.choices import Complication, Symptom, SymptomChange, Vein
from stories.models import EDITABLE_FIELDS, Story, StoryRevision


class SymptomAnswersWidget(forms.Widget):
    """One labelled select per symptom, in the order the share form asks them."""

    def __init__(self, scale, attrs=None):
        super().__init__(attrs)
        self.scale = scale

    def value_from_datadict(self, data, files, name):
        return {symptom.value: data.get(f"{name}_{symptom.value}", "") for symptom in Symptom}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{symptom.value}" in data for symptom in Symptom)

    def id_for_label(self, id_):
        return f"{id_}_{Symptom.values[0]}" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        value = value if isinstance(value, dict) else {}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        choices = [("", _("No answer"))] + list(self.scale.choices)
        rows = []
        for symptom in Symptom:
            field_id = f"{base_id}_{symptom.value}"
            options = format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((code, " selected" if value.get(symptom.value, "") == code else "", label)
                 for code, label in choices),
            )
            rows.append(format_html(
                '<div class="symptom-answer"><label for="{}">{}</label>'
                '<select name="{}_{}" id="{}">{}</select></div>',
                field_id, symptom.label, name, symptom.value, field_id, options,
            ))
        return format_html('<div class="symptom-answers">{}</div>', format_html_join(
            "", "{}", ((row,) for row in rows)))


class SymptomAnswersField(forms.Field):
    """A dict of symptom code → answer on `scale`; unanswered symptoms are left out."""

    def __init__(self, *, scale=SymptomChange, **kwargs):
        self.scale = scale
        kwargs.setdefault("widget", SymptomAnswersWidget(scale))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, dict):
            return {}
        allowed = set(self.scale.values)
        answers = {}
        for symptom in Symptom:
            answer = value.get(symptom.value, "")
            if answer in ("", None):
                continue
            if answer not in allowed:
                raise forms.ValidationError(
                    _("Choose one of the listed answers for %(symptom)s."),
                    params={"symptom": symptom.label},
                )
            answers[symptom.value] = answer
        return answers

    def has_changed(self, initial, data):
        return (initial or {}) != self.to_python(data)


def coded_choices_field(choices, label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class StoryAdminForm(forms.ModelForm):
    veins = coded_choices_field(Vein.choices, _("veins treated"))
    complications = coded_choices_field(Complication.choices, _("complications"))
    symptoms = SymptomAnswersField(label=_("symptoms"))

    class Meta:
        model = Story
        fields = ["treatment", *EDITABLE_FIELDS]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "story-text"}),
            "title": forms.TextInput(attrs={"size": 80}),
        }


# The free-text answers of an author's edit, which a moderator may need to correct.
REVISION_TEXT_FIELDS = ["title", "body", "display_name", "city", "clinic", "treated_by",
                        "complications_other"]


def _revision_text_field(name: str) -> forms.Field:
    model_field = Story._meta.get_field(name)
    field = model_field.formfield()
    field.required = not model_field.blank
    if name == "body":
        field.widget = forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "story-text"})
    return field


class _RevisionAdminFormBase(forms.ModelForm):
    """An author's proposed edit, with its free text editable: what the moderator saves here
    is what an approval publishes."""

    class Meta:
        model = StoryRevision
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposed = self.instance.proposed or {}
        for name in REVISION_TEXT_FIELDS:
            self.initial[name] = proposed.get(name) or ""

    def clean(self):
        data = super().clean()
        # The edited text must still make a valid story, as the author's form required.
        candidate = Story(**{name: data.get(name, "") for name in REVISION_TEXT_FIELDS})
        for name in REVISION_TEXT_FIELDS:
            if name in data:
                try:
                    Story._meta.get_field(name).clean(data[name], candidate)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def save(self, commit=True):
        revision = self.instance
        revision.proposed = {**(revision.proposed or {}),
                             **{name: self.cleaned_data[name] for name in REVISION_TEXT_FIELDS}}
        return super().save(commit)


# The text fields are declared on the class (the admin checks its fields against them).
RevisionAdminForm = type("RevisionAdminForm", (_RevisionAdminFormBase,), {
    name: _revision_text_field(name) for name in REVISION_TEXT_FIELDS
})
