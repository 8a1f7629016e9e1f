from django import forms
from django.utils.translation import gettext_lazy as _

from research.models import ExportLog
from treatments.models import Treatment


class ExportForm(forms.Form):
    treatment = forms.ModelChoiceField(
        label=_("Treatment"), queryset=Treatment.objects.all(), to_field_name="slug",
        error_messages={"invalid_choice": _("There is no such treatment.")},
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportLog.Format.choices,
        error_messages={"invalid_choice": _("Choose CSV, JSON or FHIR.")},
    )
