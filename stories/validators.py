from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _


def validate_not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Write something here, not only spaces."), code="blank")


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
