from django import forms
from django.utils.translation import gettext_lazy as _

from search.models import SearchDocument
from search.query import MAX_QUERY_LENGTH, clean_query_text
from stories.choices import PROCEDURE_STATUS_PUBLIC, MsType, ProcedureKind, Result

FILTER_NAMES = (
    "kind", "treatment", "procedure_status", "result", "ms_type", "country", "procedure_kind",
    "treated_year",
)


class SearchForm(forms.Form):
    """The query and the story filters. A query that is too long is cut (and the page says
    so); a filter value that is not one of the choices is ignored, never an error page."""

    q = forms.CharField(
        label=_("Search for"), required=False,
        widget=forms.TextInput(attrs={
            "type": "search", "maxlength": MAX_QUERY_LENGTH, "enterkeyhint": "search",
            "spellcheck": "true", "aria-describedby": "id_q_helptext",
        }),
    )
    kind = forms.ChoiceField(
        label=_("Show"), required=False,
        choices=[("", _("Stories, follow-ups and articles"))] + [
            (SearchDocument.Kind.STORY, _("Stories only")),
            (SearchDocument.Kind.FOLLOWUP, _("Follow-ups only")),
            (SearchDocument.Kind.ARTICLE, _("Articles only")),
        ],
    )
    treatment = forms.ChoiceField(label=_("Treatment"), required=False)
    procedure_status = forms.ChoiceField(
        label=_("Had the procedure"), required=False,
        choices=[("", _("Anyone"))] + list(PROCEDURE_STATUS_PUBLIC.items()),
    )
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("Any result"))] + Result.choices
    )
    ms_type = forms.ChoiceField(
        label=_("Type of MS"), required=False, choices=[("", _("Any type"))] + MsType.choices
    )
    country = forms.ChoiceField(label=_("Country treated in"), required=False)
    procedure_kind = forms.ChoiceField(
        label=_("Balloon or stent"), required=False,
        choices=[("", _("Any"))] + ProcedureKind.choices,
    )
    treated_year = forms.ChoiceField(label=_("Year treated"), required=False)

    def __init__(self, data=None, *, choices: dict[str, list[tuple[str, str]]], **kwargs):
        self.query_was_cut = False
        if data is not None:
            data = data.copy()
            data["q"], self.query_was_cut = clean_query_text(data.get("q", ""))
        super().__init__(data, **kwargs)
        self.fields["treatment"].choices = [("", _("Any treatment"))] + choices["treatment"]
        self.fields["country"].choices = [("", _("Any country"))] + choices["country"]
        self.fields["treated_year"].choices = [("", _("Any year"))] + choices["treated_year"]

    def query_text(self) -> str:
        if not self.is_bound:
            return ""
        return self.cleaned_data.get("q", "") if self.is_valid() else self.data.get("q", "")

    def filters(self) -> dict[str, str]:
        """The valid filters that were chosen, by form field name."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in FILTER_NAMES
            if name not in self.errors and self.cleaned_data.get(name)
        }

    def ignored_filters(self) -> bool:
        return self.is_bound and any(name in self.errors for name in FILTER_NAMES)
