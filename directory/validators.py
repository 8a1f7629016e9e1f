import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's line and paragraph separators end a line in some programs, like CR and LF.
_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}


def validate_one_line(value: str) -> None:
    """Names and places are one line: refuse line breaks, tabs and control characters."""
    if any(unicodedata.category(char) == "Cc" or char in _LINE_BREAKS for char in value):
        raise ValidationError(
            _("Use one line, without line breaks, tabs or invisible control characters."),
            code="control_characters",
        )
