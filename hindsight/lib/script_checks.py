"""Two checks against scripts on public forms that need no account: a field people never see,
and the signed time the form was shown (a message sent a second later was not typed by hand)."""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCRIPT_CHECK_FIELDS = ("website", "shown_at")


class ScriptCheckedForm(forms.Form):
    """Subclasses set `shown_salt`; the view shows the form with
    `initial={"shown_at": FormClass.shown_at_token()}` and reads `seconds_to_write()`."""

    shown_salt = ""

    # Hidden from people (and from screen readers); bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this empty"), required=False, strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def shown_at_token(cls) -> str:
        return signing.dumps(timezone.now().timestamp(), salt=cls.shown_salt)

    def order_fields(self, field_order) -> None:
        # A base class's fields come first; these two belong after everything people fill in.
        super().order_fields(field_order)
        for name in SCRIPT_CHECK_FIELDS:
            self.fields[name] = self.fields.pop(name)

    def seconds_to_write(self) -> float | None:
        """Seconds since the form was shown, or None if the token is missing or forged."""
        try:
            shown = signing.loads(self.cleaned_data.get("shown_at") or "", salt=self.shown_salt,
                                  max_age=24 * 3600)
            return timezone.now().timestamp() - float(shown)
        except (signing.BadSignature, TypeError, ValueError):
            return None
