from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def validate_not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Write something here, not only spaces."), code="blank")


# Characters that reorder text on screen: they can make a name read differently to a reader
# than to the moderator who approved it.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def validate_no_bidi_controls(value: str) -> None:
    if any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            _("Remove the invisible characters that change the direction of the text."),
            code="bidi",
        )


@deconstructible
class CodesValidator:
    """Validator for a JSON list of choice codes."""

    def __init__(self, allowed: list[str]):
        self.allowed = list(allowed)

    def __call__(self, value) -> None:
        if not isinstance(value, list) or any(code not in self.allowed for code in value):
            raise ValidationError(
                _("Use only these codes: %(codes)s.") % {"codes": ", ".join(self.allowed)},
                code="codes",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CodesValidator) and other.allowed == self.allowed


def validate_symptom_answers(value) -> None:
    from stories.choices import Symptom, SymptomChange

    if not isinstance(value, dict) or any(
        key not in Symptom.values or answer not in SymptomChange.values
        for key, answer in value.items()
    ):
        raise ValidationError(
            _("Symptoms must map a symptom (%(symptoms)s) to one of %(answers)s.")
            % {"symptoms": ", ".join(Symptom.values), "answers": ", ".join(SymptomChange.values)},
            code="symptoms",
        )


def validate_not_an_email(value: str) -> None:
    """A display name is public: stop people putting their email address in it by mistake."""
    try:
        validate_email(value.strip())
    except ValidationError:
        return
    raise ValidationError(
        _("This looks like an email address. Your display name is shown to everyone: use a "
          "first name or a made-up name instead."),
        code="email_as_name",
    )
