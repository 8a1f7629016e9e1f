# Day, short month, year and a 24-hour clock ("3 Dec 2026 06:27"), which reads the same to
# moderators on either side of the Atlantic; Django's English default ("Dec. 3, 2026, 6:27
# a.m.") does not. Public templates name their formats explicitly, so these mostly show in the
# moderation admin and wherever a date is printed without a format.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
