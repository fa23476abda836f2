"""Numerals by meaning: the README's rules, one test each."""

from __future__ import annotations

import pytest
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from briefpress.text.bidi import LRI, PDI
from briefpress.text.breaks import WORD_JOINER
from briefpress.text.labels import event_date, iso_dates_exist
from briefpress.text.localise import Localiser
from briefpress.text.numerals import symbols, write_numbers

ARABIC = Localiser("rtl", "arabic-indic")
LATIN = Localiser("rtl", "latin")
ALM = "\u061c"  # ARABIC LETTER MARK, part of CLDR's arab minus and percent signs
WJ = WORD_JOINER


def test_symbols_come_from_cldr_by_way_of_babel() -> None:
    table = symbols("arabic-indic")
    assert table is not None
    assert table.digits == "٠١٢٣٤٥٦٧٨٩"
    assert table.decimal == get_decimal_symbol("ar", numbering_system="arab") == "\u066b"
    assert table.group == get_group_symbol("ar", numbering_system="arab") == "\u066c"
    assert table.minus == get_minus_sign_symbol("ar", numbering_system="arab") == ALM + "-"
    assert table.percent == Locale.parse("ar").number_symbols["arab"]["percentSign"] == "\u066a" + ALM
    assert symbols("latin") is None


def test_rule_1_latin_editions_print_numbers_as_typed() -> None:
    assert LATIN("بلغت 1,000 و7.5 طن في 2024") == f"بلغت 1,000 {WJ}و7.5 {WJ}طن في 2024"


def test_rule_2_numbers_in_arabic_context_take_arabic_indic_digits() -> None:
    assert ARABIC("في 19 يونيو 2024") == f"في ١٩ {WJ}يونيو ٢٠٢٤"
    assert ARABIC(7) == "٧"


def test_rule_3_decimal_and_group_separators_and_percent_are_cldr_symbols() -> None:
    assert write_numbers("7.5", "arabic-indic") == "٧\u066b٥"
    assert write_numbers("1,000,000.25", "arabic-indic") == "١\u066c٠٠٠\u066c٠٠٠\u066b٢٥"
    assert write_numbers("76.5%", "arabic-indic") == "٧٦\u066b٥\u066a" + ALM


def test_rule_4_grouping_is_the_authors() -> None:
    assert write_numbers("1000 و2024", "arabic-indic") == "١٠٠٠ و٢٠٢٤"


def test_rule_5_signs_keep_their_meaning() -> None:
    assert ARABIC("بنسبة -3.5% خلال") == f"بنسبة {ALM}-٣\u066b٥\u066a{ALM} {WJ}خلال"
    assert write_numbers("+12%", "arabic-indic") == f"{ALM}+١٢\u066a{ALM}"
    assert write_numbers("−4", "arabic-indic") == f"{ALM}-٤"
    # a hyphen after a word is the word's, not a minus: كوفيد-19, إف-16
    assert ARABIC("جائحة كوفيد-19 في") == f"جائحة كوفيد-١٩ {WJ}في"
    assert write_numbers("إف-16", "arabic-indic") == "إف-١٦"


def test_rule_5_latin_signed_numbers_are_isolated_left_to_right() -> None:
    assert LATIN("بنسبة -3.5% خلال") == f"بنسبة {LRI}-3.5%{PDI} {WJ}خلال"
    assert LATIN("بزيادة +2.1% خلال") == f"بزيادة {LRI}+2.1%{PDI} {WJ}خلال"
    assert LATIN("جائحة كوفيد-19 في") == f"جائحة كوفيد-19 {WJ}في"  # no signed number


def test_rule_6_ranges_stay_ranges() -> None:
    assert ARABIC("في 2016–2017 تم") == f"في ٢٠١٦–{WJ}٢٠١٧ {WJ}تم"
    assert ARABIC("في 2016-2017 تم") == f"في {ALM}٢٠١٦-٢٠١٧ {WJ}تم"
    assert LATIN("في 2016-2017 تم") == f"في {ALM}2016-2017 {WJ}تم"  # drawn as a dash range is
    assert ALM not in ARABIC("في 2016–2017")
    # a span of years with a slash is drawn as a dash range is: first year on the right
    assert ARABIC("السنة 2024/2025 و") == f"السنة ٢٠٢٤{ALM}/{WJ}٢٠٢٥ {WJ}و"
    assert LATIN("السنة 2024/2025 و") == f"السنة 2024{ALM}/{WJ}2025 {WJ}و"
    assert ARABIC("القرار 49/59 و") == f"القرار ٤٩/٥٩ {WJ}و"


def test_rule_6_a_span_of_years_in_arabic_indic_digits_reads_right_to_left() -> None:
    """`٢٠٠٩/٢٠١٠` typed in Arabic-Indic digits was one number to the bidi algorithm (a slash
    between two Arabic numbers joins them) and drawn left to right, `٢٠١٠` met first, while
    `2009/2010` typed in Latin digits was drawn as a range, in either edition."""
    for edition in (ARABIC, LATIN):
        assert edition("في ٢٠٠٩/٢٠١٠ تم") == f"في ٢٠٠٩{ALM}/{WJ}٢٠١٠ {WJ}تم"
        assert edition("في ٢٠٠٩/٢٠١٠ تم") == edition("في 2009/2010 تم").translate(
            str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        # a pair that is no span of years, and a date, stay one number, as typed
        for typed in ("٢٠١٠/٢٠٠٩", "٤٩/٥٩", "٢٠٢٤/٢٥", "١٦/١٢/٢٠٢٤"):
            assert ALM not in edition(f"في {typed} تم")


def test_rule_7_identifiers_keep_latin_digits() -> None:
    for typed in ("S/RES/2397 (2017)", "A/78/L.1", "+1-212-963-1234", "2024-06-19",
                  "https://www.un.org/2024/report", "sc-1718-committee@un.org", "KN-23",
                  "resolution 2397", "+44 20 7946 0958", "$3.5 billion", "€20", "-5°C", "@UN_2024",
                  "(CFSP) 2024/632", "YEi.004", "€ 2.4 bn", "±0.5 °C"):
        localised = ARABIC(f"انظر {typed} الآن")
        assert localised.startswith("انظر " + LRI), typed
        assert not any("٠" <= character <= "٩" for character in localised), (typed, localised)


def test_rule_8_numbers_in_left_to_right_text_follow_their_run() -> None:
    localise = Localiser("ltr", "arabic-indic")
    assert localise("Signed in 2024 معاهدة 2024") == "Signed in 2024 \u2067معاهدة \u2060٢٠٢٤\u2069"


def test_quotes_are_text_not_entities() -> None:
    """Digits change before Jinja escapes: a quote stays a quote (it was printed `&٣٤#;`)."""
    # the quotes around a whole run are the run's own (README, "Mixed runs")
    assert ARABIC('قرار "S/RES/2397" رقم 34') == f'قرار {LRI}"S/\u2060RES/\u20602397"\u200e{PDI} رقم ٣٤'


def test_a_decimal_comma_keeps_its_number_whole() -> None:
    """A decimal comma, as North African authors write it (`3,5%`), is one number: the percentage
    was cut at its comma and only `5%` isolated, drawn `5%,3` in a Latin-digit edition."""
    assert LATIN("بلغ النمو 3,5% والتضخم") == f"بلغ النمو {LRI}3,5%{PDI} {WJ}والتضخم"
    assert LATIN("بنسبة -12,75% خلال") == f"بنسبة {LRI}-12,75%{PDI} {WJ}خلال"
    assert LATIN("بلغت 1,000 و1,250,000.5 طن") == f"بلغت 1,000 {WJ}و1,250,000.5 {WJ}طن"
    assert ARABIC("بلغ النمو 3,5% والتضخم") == f"بلغ النمو ٣,٥\u066a{ALM} {WJ}والتضخم"


def test_a_range_of_percentages_takes_the_edition_s_percent_sign() -> None:
    """`2–3%` in an Arabic-Indic edition printed `٢–٣%`: the range stopped before its percent
    sign, which stayed Latin beside Arabic-Indic digits and the `٪` of every other percentage."""
    assert ARABIC("والتضخم 2–3% في") == f"والتضخم ٢–{WJ}٣\u066a{ALM} {WJ}في"
    assert ARABIC("والتضخم 2-3% في") == f"والتضخم {ALM}٢-٣\u066a{ALM} {WJ}في"
    assert LATIN("والتضخم 2–3% في") == f"والتضخم 2–{WJ}3% {WJ}في"


def test_per_mille_is_written_as_percent_is() -> None:
    """`12‰` kept the Latin sign beside Arabic-Indic digits (`١٢‰`), where CLDR's arab system
    writes `؉`; in a Latin-digit edition it was drawn `‰12`, while `12%` beside it is isolated
    and drawn as typed."""
    assert write_numbers("12‰", "arabic-indic") == "١٢\u0609"
    assert ARABIC("ارتفع العائد 12‰ ثم") == f"ارتفع العائد ١٢\u0609 {WJ}ثم"
    assert LATIN("ارتفع العائد 12‰ ثم") == f"ارتفع العائد {LRI}12‰{PDI} {WJ}ثم"


def test_a_percent_sign_after_a_space_stays_with_its_number() -> None:
    """`3,5 %`, spaced as French typography sets it and North African and Lebanese authors type
    it, was drawn `% 3,5` in a Latin-digit edition (the sign on the other side of its number from
    `3,5%`), could be cut from its number at a line's end, and kept a Latin `%` beside
    Arabic-Indic digits. The author's space stays; a no-break space needs no joiner."""
    assert LATIN("بلغ النمو 3,5 % في") == f"بلغ النمو {LRI}3,5 {WJ}%{PDI} {WJ}في"
    assert LATIN("بلغ 3.5\u00a0% في") == f"بلغ {LRI}3.5\u00a0%{PDI} {WJ}في"
    assert LATIN("بنسبة -3,5 % خلال") == f"بنسبة {LRI}-3,5 {WJ}%{PDI} {WJ}خلال"
    assert ARABIC("بلغ النمو 3,5 % في") == f"بلغ النمو ٣,٥ {WJ}\u066a{ALM} {WJ}في"
    assert ARABIC("العائد 12 ‰ ثم") == f"العائد ١٢ {WJ}\u0609 {WJ}ثم"
    assert ARABIC("بين 2–3 % في") == f"بين ٢–{WJ}٣ {WJ}\u066a{ALM} {WJ}في"


def test_a_multiplication_sign_is_not_a_latin_letter() -> None:
    """`× 3` (three times) was taken for a Latin word, for × lies among the Latin letters of
    Latin-1: the number stayed in Latin digits in an Arabic-Indic edition, beside `≥ ٢`."""
    assert ARABIC("أن يرتفع الطلب × 3 خلال عقد") == f"أن يرتفع الطلب × ٣ {WJ}خلال عقد"
    assert ARABIC("أي 6 ÷ 2 فقط") == f"أي ٦ ÷ ٢ {WJ}فقط"
    assert LATIN("الطلب × 3 خلال") == f"الطلب × 3 {WJ}خلال"
    assert ARABIC("مقهى Café في") == f"مقهى {LRI}Café{PDI} في"
    # after a Latin piece it continues the run, as `+` does: `H100 × 8`, as typed
    assert ARABIC("الخادم H100 × 8 فقط") == f"الخادم {LRI}H100 {WJ}× {WJ}8{PDI} فقط"


def test_a_range_of_clock_times_is_one_range() -> None:
    """`09:00-17:00` was cut at its colons and `00-17` taken for a range, whose letter mark
    went inside the first time: the page drew `17:00-00:09`, in either digit style."""
    assert ARABIC("من 09:00-17:00 يومياً") == f"من {ALM}٠٩:٠٠-١٧:٠٠ {WJ}يومياً"
    assert LATIN("من 09:00-17:00 يومياً") == f"من {ALM}09:00-17:00 {WJ}يومياً"
    assert LATIN("من 14:30–16:00 يومياً") == f"من 14:30–{WJ}16:00 {WJ}يومياً"
    assert ARABIC("عند الساعة 14:30 بتوقيت") == f"عند الساعة ١٤:٣٠ {WJ}بتوقيت"
    assert ARABIC("بين 12-15 و") == f"بين {ALM}١٢-١٥ {WJ}و"
    assert ARABIC("في 2016–2017: قال") == f"في ٢٠١٦–{WJ}٢٠١٧: قال"
    assert ARABIC("الصفحات:12-15 و") == f"الصفحات:{ALM}١٢-١٥ {WJ}و"


def test_a_comparison_before_a_number_is_one_run_with_it() -> None:
    """`≥ 2`: in a Latin-digit edition drawn as typed (mirrored, its glyph would be `≤`'s), in an
    Arabic-Indic one read right to left like the minus sign; held on one line in both."""
    assert LATIN("أن يكون العدد ≥ 2 في") == f"أن يكون العدد {LRI}≥ {WJ}2{PDI} {WJ}في"
    assert LATIN("الحصة < 5% فقط") == f"الحصة {LRI}< {WJ}5%{PDI} {WJ}فقط"
    assert ARABIC("أن يكون العدد ≥ 2 في") == f"أن يكون العدد ≥ {WJ}٢ {WJ}في"
    assert LATIN("بهامش ± 5% فقط") == f"بهامش {LRI}± {WJ}5%{PDI} {WJ}فقط"
    assert ARABIC("بهامش ± 5% فقط") == f"بهامش ± {WJ}٥٪{ALM} {WJ}فقط"
    assert ARABIC("حرارة ≤ 30 °C فقط") == f"حرارة {LRI}≤ {WJ}30 {WJ}°C{PDI} فقط"  # a measure's run
    assert LATIN("الطلب ≥ 12 GW في") == f"الطلب ≥ {LRI}12 {WJ}GW{PDI} في"  # the unit's run, not the sign's
    assert LATIN("بين 2 ≤ x") == f"بين 2 ≤ {LRI}x{PDI}"  # a sign after its number is not its sign


def test_rule_8_a_timeline_iso_date_is_a_long_date_in_either_digit_style() -> None:
    """An ISO date typed in Arabic-Indic digits (`٢٠٢٤-٠٢-٢٧`, as Arabic sources write it) was
    printed as typed, and drawn like a range, among the timeline's long dates."""
    assert event_date("2024-02-27", "ar") == "27 فبراير 2024"
    assert event_date("٢٠٢٤-٠٢-٢٧", "ar") == "٢٧ فبراير ٢٠٢٤"
    assert event_date("من ٢٠١٩-٠١-٠١ – ٢٠١٩-٠٨-٣١", "ar") == "من ١ يناير ٢٠١٩ – ٣١ أغسطس ٢٠١٩"
    assert event_date("٢٠٢٤-٠١-٠٥", "en") == "5 January 2024"
    assert event_date("2024-٠٢-27", "ar") == "2024-٠٢-27"  # no date in one digit style
    with pytest.raises(ValueError, match="'٢٠٢٤-٠٢-٣١' is not a date"):
        iso_dates_exist("٢٠٢٤-٠٢-٣١")
