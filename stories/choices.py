"""The answers a story (and later a follow-up) can give, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureStatus(models.TextChoices):
    HAD = "yes", _("Yes, I had it")
    BOOKED = "booked", _("It is booked")
    CONSIDERING = "considering", _("I am considering it")
    DECIDED_AGAINST = "decided_against", _("I decided against it")


# The same answers as a reader sees them, about the author rather than in their voice.
PROCEDURE_STATUS_PUBLIC = {
    ProcedureStatus.HAD: _("Yes"),
    ProcedureStatus.BOOKED: _("Booked, not yet done"),
    ProcedureStatus.CONSIDERING: _("Considering it"),
    ProcedureStatus.DECIDED_AGAINST: _("Decided against it"),
}


class Result(models.TextChoices):
    MUCH_BETTER = "much_better", _("Much better")
    LITTLE_BETTER = "little_better", _("A little better")
    NO_CHANGE = "no_change", _("No change")
    LITTLE_WORSE = "little_worse", _("A little worse")
    MUCH_WORSE = "much_worse", _("Much worse")
    TOO_EARLY = "too_early", _("Too early to tell")


class SymptomChange(models.TextChoices):
    BETTER = "better", _("Better")
    SAME = "same", _("Same")
    WORSE = "worse", _("Worse")
    NOT_APPLICABLE = "na", _("Not something I had")


class Symptom(models.TextChoices):
    FATIGUE = "fatigue", _("Fatigue")
    COGNITION = "cognition", _("Thinking and memory")
    WALKING = "walking", _("Walking")
    BALANCE = "balance", _("Balance")
    HANDS = "hands", _("Hands")
    BLADDER = "bladder", _("Bladder")
    VISION = "vision", _("Vision")
    HEAT = "heat", _("Heat sensitivity")
    COLD_EXTREMITIES = "cold_extremities", _("Cold hands and feet")
    SLEEP = "sleep", _("Sleep")
    PAIN = "pain", _("Pain")
    SPEECH = "speech", _("Speech")


class ChangeOnset(models.TextChoices):
    HOURS = "hours", _("Within a day")
    WEEK = "week", _("Within a week")
    MONTH = "month", _("Within a month")
    MONTHS = "months", _("Within one to three months")
    LATER = "later", _("After more than three months")
    NONE = "none", _("I noticed no change")


class ProcedureKind(models.TextChoices):
    BALLOON = "balloon", _("Balloon angioplasty")
    STENT = "stent", _("Stent")
    BOTH = "both", _("Balloon and stent")
    UNSURE = "unsure", _("I am not sure")


class Vein(models.TextChoices):
    LEFT_JUGULAR = "left_jugular", _("Left internal jugular")
    RIGHT_JUGULAR = "right_jugular", _("Right internal jugular")
    AZYGOS = "azygos", _("Azygos")
    OTHER = "other", _("Another vein")
    UNKNOWN = "unknown", _("I don't know")


class Complication(models.TextChoices):
    NONE = "none", _("None")
    BLEEDING = "bleeding", _("Bleeding")
    VEIN_CLOT = "vein_clot", _("A clot in the vein")
    RESTENOSIS = "restenosis", _("The vein narrowed again (restenosis)")
    STENT_MOVED = "stent_moved", _("A stent moved")
    OTHER = "other", _("Something else")


SERIOUS_COMPLICATIONS = {Complication.BLEEDING, Complication.VEIN_CLOT, Complication.STENT_MOVED}


class TreatedAgain(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class MsType(models.TextChoices):
    RELAPSING_REMITTING = "rrms", _("Relapsing-remitting")
    SECONDARY_PROGRESSIVE = "spms", _("Secondary progressive")
    PRIMARY_PROGRESSIVE = "ppms", _("Primary progressive")
    CIS = "cis", _("Clinically isolated syndrome")
    UNSURE = "unsure", _("Not sure")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    AGE_30S = "30_39", _("30 to 39")
    AGE_40S = "40_49", _("40 to 49")
    AGE_50S = "50_59", _("50 to 59")
    AGE_60S = "60_69", _("60 to 69")
    OVER_70 = "70_plus", _("70 or over")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another way")
    UNSAID = "unsaid", _("Prefer not to say")


def symptom_rows(answers: dict[str, str], scale: type[models.TextChoices]):
    """(code, symptom label, answer label) for each symptom answered on `scale`, in the
    order symptoms are asked."""
    labels = dict(scale.choices)
    return [
        (symptom.value, symptom.label, labels[answers[symptom.value]])
        for symptom in Symptom
        if answers.get(symptom.value) in labels
    ]


def choice_labels(codes: list[str], choices: type[models.TextChoices]) -> list[str]:
    labels = dict(choices.choices)
    return [labels[code] for code in codes if code in labels]


CURRENCIES = [
    ("USD", "USD — US dollar"),
    ("CAD", "CAD — Canadian dollar"),
    ("EUR", "EUR — Euro"),
    ("GBP", "GBP — Pound sterling"),
    ("AUD", "AUD — Australian dollar"),
    ("NZD", "NZD — New Zealand dollar"),
    ("PLN", "PLN — Polish złoty"),
    ("BGN", "BGN — Bulgarian lev"),
    ("INR", "INR — Indian rupee"),
    ("MXN", "MXN — Mexican peso"),
    ("CHF", "CHF — Swiss franc"),
    ("SEK", "SEK — Swedish krona"),
    ("NOK", "NOK — Norwegian krone"),
    ("DKK", "DKK — Danish krone"),
    ("EGP", "EGP — Egyptian pound"),
    ("CRC", "CRC — Costa Rican colón"),
]


class ReportReason(models.TextChoices):
    """What a reader can say is wrong with something published: a story or a comment. Both
    report forms and both report models use these, so moderators read one vocabulary."""

    SPAM = "spam", _("Spam or advertising (for example a clinic selling treatment)")
    ABUSE = "abuse", _("Abusive or hateful")
    PRIVACY = "privacy", _("It identifies someone")
    DANGER = "danger", _("Dangerous medical advice")
    OTHER = "other", _("Something else")
