"""Chrome wording and dates in the publication's language."""

from __future__ import annotations

import datetime
import re

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


_ISO_DATE = re.compile(r"(?<![0-9A-Za-z-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9A-Za-z-])")


def iso_dates_exist(when: str) -> str:
    """`when` as typed, or a ValueError naming an ISO date in it that no calendar has
    (`2024-02-31`): the timeline would print it as typed among the long dates."""
    for match in _ISO_DATE.finditer(when):
        try:
            datetime.date(*map(int, match.groups()))
        except ValueError as error:
            raise ValueError(f"'{match[0]}' is not a date ({error}); write the day it means, "
                             "year-month-day") from None
    return when


def event_date(when: str, language: str) -> str:
    """A timeline's date as the column writes it: each ISO date (`2024-01-10`) as a long date
    (`10 يناير 2024`), so that it reads like the dates beside it; the rest as typed. Every ISO
    date in `when` is a real day (`iso_dates_exist`, checked when facts.yaml is read)."""
    return _ISO_DATE.sub(
        lambda match: long_date(datetime.date(*map(int, match.groups())), language), when)
