"""Render the plan's figures in each answer language, converting units exactly.

The plan writes large numbers in 億 (10^8): 125,580億ドル is US$12.558
trillion. Chinese and Korean count in 亿/억 too, so they keep the plan's
number; English, Thai and Russian are converted with Decimal arithmetic (no
rounding, no float artefacts).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Dict, Tuple

OKU = Decimal(10) ** 8


def _plain(value: Decimal, decimal_mark: str = ".", group: str = ",") -> str:
    """1234567.50 -> '1,234,567.5' (trailing zeros dropped, grouped thousands)."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
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


def _oku_language(
    oku: str, units: Dict[str, str], routes: str, people: str, people_oku: str
) -> Callable[[Decimal, str, bool], str]:
    """Chinese and Korean: keep the plan's 億 figures in 亿 / 억."""

    def render(value: Decimal, unit: str, in_oku: bool) -> str:
        if unit == "%":
            return f"{_plain(value)}%"
        if unit == "路線":
            return routes.format(_plain(value))
        if not in_oku:
            return (people if unit == "人" else units[unit]).format(_plain(value))
        return (people_oku if unit == "人" else units[unit]).format(_plain(value) + oku)

    return render


_ZH = _oku_language("亿", {"ドル": "{}美元", "円": "{}日元"}, "{}条航线", "{}人", "{}人")
_KO = _oku_language("억", {"ドル": "{} 달러", "円": "{} 엔"}, "{}개 노선", "{}명", "{} 명")


def format_figure(value: float, unit: str, text_ja: str, language: str) -> str:
    """The plan's figure (`value` `unit`, written `text_ja`) in `language`."""
    if language in ("ja", "ja-easy"):
        return text_ja
    amount = Decimal(str(value))
    in_oku = unit.startswith("億")
    base_unit = unit[1:] if in_oku else unit
    if language in ("zh", "ko"):
        return (_ZH if language == "zh" else _KO)(amount, base_unit, in_oku)
    absolute = amount * OKU if in_oku else amount
    render = {"en": _en, "ru": _ru, "th": _th}[language]
    return render(absolute, base_unit, in_oku)
