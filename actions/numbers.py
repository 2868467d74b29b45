"""Render the plan's figures in each answer language, converting units exactly.

A figure's unit is the plan's own: an optional Japanese count prefix (万 10^4,
億 10^8, 兆 10^12) and a base (ドル, 円, 人, %, 路線). 125,580億ドル is US$12.558
trillion. Chinese and Korean count in 万/億/兆 too (万/亿/万亿, 만/억/조), so they
keep the plan's number; English, Thai and Russian are converted with Decimal
arithmetic (no rounding, no float artefacts), and the plan's own figure follows
in brackets so a reader can check the conversion against the source.
The units themselves are described in `knowledge.units`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Dict, Tuple

from actions.texts import text
from knowledge.units import PREFIXES, split_unit

_CJK_PREFIX = {"zh": {"万": "万", "億": "亿", "兆": "万亿"}, "ko": {"万": "만", "億": "억", "兆": "조"}}


def _plain(value: Decimal, decimal_mark: str = ".", group: str = ",") -> str:
    """1234567.50 -> '1,234,567.5' (trailing zeros dropped, grouped thousands)."""
    formatted = format(value.normalize(), "f")
    whole, _, fraction = formatted.partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    return grouped + (decimal_mark + fraction if fraction else "")


def _scaled(amount: Decimal, scales: Tuple[Tuple[Decimal, str], ...]) -> Tuple[Decimal, str]:
    for size, word in scales:
        if amount >= size:
            return amount / size, word
    return amount, ""


_EN_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_RU_SCALES = ((Decimal(10) ** 12, "трлн"), (Decimal(10) ** 9, "млрд"), (Decimal(10) ** 6, "млн"))
_TH_SCALES = ((Decimal(10) ** 12, "ล้านล้าน"), (Decimal(10) ** 6, "ล้าน"))


def _ru_plural(count: Decimal, one: str, few: str, many: str) -> str:
    if count != count.to_integral_value():
        return few
    n = int(count)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _en(amount: Decimal, unit: str, scale_up: bool) -> str:
    if unit == "%":
        return f"{_plain(amount)}%"
    if unit == "路線":
        return f"{_plain(amount)} route{'s' if amount != 1 else ''}"
    number, scale = _scaled(amount, _EN_SCALES) if scale_up else (amount, "")
    figure = _plain(number) + (f" {scale}" if scale else "")
    return {"ドル": f"US${figure}", "円": f"¥{figure}", "人": f"{figure} people"}[unit]


def _ru(amount: Decimal, unit: str, scale_up: bool) -> str:
    if unit == "%":
        return f"{_plain(amount, ',', ' ')}%"
    if unit == "路線":
        return f"{_plain(amount, ',', ' ')} {_ru_plural(amount, 'маршрут', 'маршрута', 'маршрутов')}"
    number, scale = _scaled(amount, _RU_SCALES) if scale_up else (amount, "")
    figure = _plain(number, ",", " ") + (f" {scale}" if scale else "")
    if unit == "人":
        word = "человек" if scale else _ru_plural(amount, "человек", "человека", "человек")
        return f"{figure} {word}"
    return f"{figure} {'долл. США' if unit == 'ドル' else 'иен'}"


def _th(amount: Decimal, unit: str, scale_up: bool) -> str:
    if unit == "%":
        return f"{_plain(amount)}%"
    if unit == "路線":
        return f"{_plain(amount)} เส้นทาง"
    number, scale = _scaled(amount, _TH_SCALES) if scale_up else (amount, "")
    figure = _plain(number) + (f" {scale}" if scale else "")
    noun = {"ドル": "ดอลลาร์สหรัฐ", "円": "เยน", "人": "คน"}[unit]
    return f"{figure}{noun}" if scale else f"{figure} {noun}"


def _cjk_language(
    language: str, units: Dict[str, str], routes: str, people: str, people_scaled: str,
) -> Callable[[Decimal, str, str], str]:
    """Chinese and Korean: keep the plan's number and its 万/億/兆 prefix (Korean spaces
    the counter after a written-out prefix: 666,700명 but 14.3억 명)."""

    def render(value: Decimal, base: str, prefix: str) -> str:
        if base == "%":
            return f"{_plain(value)}%"
        if base == "路線":
            return routes.format(_plain(value))
        number = _plain(value) + (_CJK_PREFIX[language][prefix] if prefix else "")
        if base == "人":
            return (people_scaled if prefix else people).format(number)
        return units[base].format(number)

    return render


_ZH = _cjk_language("zh", {"ドル": "{}美元", "円": "{}日元"}, "{}条航线", "{}人", "{}人")
_KO = _cjk_language("ko", {"ドル": "{} 달러", "円": "{} 엔"}, "{}개 노선", "{}명", "{} 명")


def format_figure(value: float, unit: str, text_ja: str, language: str) -> str:
    """The plan's figure (`value` `unit`, written `text_ja`) in `language`."""
    if language in ("ja", "ja-easy"):
        return text_ja
    amount = Decimal(str(value))
    prefix, base = split_unit(unit)
    multiplier = PREFIXES[prefix] if prefix else Decimal(1)
    if language in ("zh", "zh-Hant", "ko"):
        return (_KO if language == "ko" else _ZH)(amount, base, prefix)
    render = {"en": _en, "ru": _ru, "th": _th}[language]
    converted = render(amount * multiplier, base, bool(prefix))
    return text("figure_as_printed", language, figure=converted, original=text_ja) if prefix else converted
