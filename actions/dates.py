"""Render the plan's date markers ("2021.10月時点", "2019.8～", "2020.1") in
each answer language, so users know how current a statement is."""
from __future__ import annotations

import re
from typing import Dict, Tuple

from nlu.languages import written_language

_DATE = re.compile(r"^(\d{4})\.(\d{1,2})(月時点)?\s*(～|~)?$")

_MONTHS: Dict[str, Tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "th": ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
           "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
    "ru_nominative": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                      "сентябрь", "октябрь", "ноябрь", "декабрь"),
    "ru_genitive": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                    "сентября", "октября", "ноября", "декабря"),
}

# language -> (plain, "as of", "since") with {y} year, {m} month number, {M} month
# name, {Mg} its genitive (Russian "с августа")
_FORMS: Dict[str, Tuple[str, str, str]] = {
    "ja": ("{y}年{m}月", "{y}年{m}月時点", "{y}年{m}月から"),
    "ja-easy": ("{y}年{m}月", "{y}年{m}月の じてん", "{y}年{m}月から"),
    "en": ("{M} {y}", "as of {M} {y}", "since {M} {y}"),
    "zh": ("{y}年{m}月", "截至{y}年{m}月", "{y}年{m}月起"),
    "ko": ("{y}년 {m}월", "{y}년 {m}월 기준", "{y}년 {m}월부터"),
    "th": ("{M} {y}", "ณ เดือน{M} {y}", "ตั้งแต่เดือน{M} {y}"),
    "ru": ("{M} {y} г.", "по состоянию на {M} {y} г.", "с {Mg} {y} г."),
}


def format_plan_date(raw: str, language: str) -> str:
    """The plan's date marker in `language`; unknown formats are kept as written."""
    match = _DATE.match(raw.strip())
    if not match:
        return raw
    language = written_language(language)
    year, month = match.group(1), int(match.group(2))
    form = _FORMS[language][2 if match.group(4) else 1 if match.group(3) else 0]
    names = _MONTHS.get("ru_nominative" if language == "ru" else language, _MONTHS["en"])
    return form.format(
        y=year, m=month, M=names[month - 1],
        Mg=_MONTHS["ru_genitive"][month - 1],
    )
