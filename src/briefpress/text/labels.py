"""Chrome wording and dates in the publication's language."""

from __future__ import annotations

import datetime
import re

from .numerals import write_numbers

CHROME_LABELS: dict[str, dict[str, str]] = {
    "ar": {
        "brief": "ورقة سياسات",
        "factsheet": "ورقة حقائق",
        "annex": "ملحق",
        "contents": "المحتويات",
        "page": "صفحة",
        "of": "من",
        "clause": "البند",
        "part": "الجزء",
        "section": "الفرع",
        "article": "المادة",
        "paragraph": "الفقرة",
        "subparagraph": "الفقرة الفرعية",
        "item": "البند",
        "definition": "التعريف",
        "preamble": "الديباجة",
        "page_short": "ص",
        "symbol": "الرمز",
        "text_language": "النص العربي",
        "figures": "أرقام رئيسية",
        "timeline": "التسلسل الزمني",
        "date": "التاريخ",
        "event": "الحدث",
        "published": "تاريخ الإصدار",
        "notes": "الهوامش",
        "sources": "المصادر",
    },
    "en": {
        "brief": "Policy brief",
        "factsheet": "Fact sheet",
        "annex": "Annex",
        "contents": "Contents",
        "page": "Page",
        "of": "of",
        "clause": "Clause",
        "part": "Part",
        "section": "Section",
        "article": "Article",
        "paragraph": "paragraph",
        "subparagraph": "subparagraph",
        "item": "item",
        "definition": "definition",
        "preamble": "Preamble",
        "page_short": "p.",
        "symbol": "Symbol",
        "text_language": "English text",
        "figures": "Key figures",
        "timeline": "Timeline",
        "date": "Date",
        "event": "Event",
        "published": "Published",
        "notes": "Notes",
        "sources": "Sources",
    },
}

MONTHS = {
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

def long_date(day: datetime.date, language: str) -> str:
    """`29 نوفمبر 2026`: day, month name, year."""
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


# An ISO date, typed in Latin or in Arabic-Indic digits (`٢٠٢٤-٠٢-٢٧`, as an Arabic source writes it).
_ISO_DATE = re.compile(r"(?<![0-9\u0660-\u0669A-Za-z-])(?:([0-9]{4})-([0-9]{2})-([0-9]{2})"
                       r"|([\u0660-\u0669]{4})-([\u0660-\u0669]{2})-([\u0660-\u0669]{2}))"
                       r"(?![0-9\u0660-\u0669A-Za-z-])")


def _iso_day(match: re.Match[str]) -> datetime.date:
    """The day an `_ISO_DATE` match names (ValueError if none): int() reads either digit style."""
    parts = match.groups()
    return datetime.date(*map(int, parts[:3] if parts[0] is not None else parts[3:]))


# A date written with slashes, day and month in either order before a four-digit year (16/12/2024).
_SLASHED_DATE = re.compile(r"(?<![0-9\u0660-\u0669/])([0-9]{1,2}|[\u0660-\u0669]{1,2})/"
                           r"([0-9]{1,2}|[\u0660-\u0669]{1,2})/([0-9]{4}|[\u0660-\u0669]{4})"
                           r"(?![0-9\u0660-\u0669/])")


def _a_day(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# A day before a Gregorian month's name, Arabic (Egyptian and Levantine names) or English, and
# perhaps a year (`31 فبراير 2024`, `31 نيسان`); the month's number, for its length.
_MONTH_NUMBERS = {
    **{name: number for names in MONTHS.values() for number, name in enumerate(names, start=1)},
    "إبريل": 4, "ابريل": 4, "يونيه": 6, "يوليه": 7, "اغسطس": 8, "اكتوبر": 10,
    "Feb": 2, "Apr": 4, "Jun": 6, "Sep": 9, "Sept": 9, "Nov": 11,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12}
_NAMED_DATE = re.compile(
    r"(?<![0-9\u0660-\u0669])([0-9]{1,2}|[\u0660-\u0669]{1,2})\s+("
    + "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True))
    + r")(?!\w)(?:,?\s+([0-9]{4}|[\u0660-\u0669]{4})(?![0-9\u0660-\u0669]))?")


def iso_dates_exist(when: str) -> str:
    """`when` as typed, or a ValueError naming a date in it that no calendar has: an ISO date
    (`2024-02-31`), which the timeline would print as typed among the long dates, one written
    with slashes that is no day read either way round (`31/02/2024`), or a day past the end of
    its named month (`31 نيسان`, `29 فبراير 2023`)."""
    for match in _ISO_DATE.finditer(when):
        try:
            _iso_day(match)
        except ValueError as error:
            raise ValueError(f"'{match[0]}' is not a date ({error}); write the day it means, "
                             "year-month-day") from None
    for match in _SLASHED_DATE.finditer(when):
        first, second, year = map(int, match.groups())
        if not (_a_day(year, second, first) or _a_day(year, first, second)):
            raise ValueError(f"'{match[0]}' is not a date, read day/month or month/day; write "
                             "the day it means")
    for match in _NAMED_DATE.finditer(when):
        day, month = int(match[1]), _MONTH_NUMBERS[match[2]]
        year = int(match[3]) if match[3] else 2024  # with no year, 29 February may be a day
        if not _a_day(year, month, day):
            raise ValueError(f"'{match[0]}' is not a date; write the day it means")
    return when


def event_date(when: str, language: str) -> str:
    """A timeline's date as the column writes it: each ISO date (`2024-01-10`) as a long date
    (`10 يناير 2024`), in the digits it is typed in (an English month takes Latin digits), so
    that it reads like the dates beside it; the rest as typed. Every ISO date in `when` is a
    real day (`iso_dates_exist`, checked when facts.yaml is read)."""
    def spelled(match: re.Match[str]) -> str:
        written = long_date(_iso_day(match), language)
        return write_numbers(written, "arabic-indic") if match[1] is None and language == "ar" else written

    return _ISO_DATE.sub(spelled, when)
