"""Answers about things as a group: all overseas offices, all sister regions,
all region profiles, the plan's initiatives; counts, comparisons and rankings.

"How many" states the count first, then what is counted. Comparing two
regions on a figure names the larger, gives both figures and the difference.
"Which region ... the most" ranks the profiles that give the figure.
"""
from __future__ import annotations

from decimal import Decimal
from typing import List, Optional, Sequence

from actions.compose.asked import FIGURES, Asked
from actions.compose.facts import figure_value, label, language_name, office, passage
from actions.compose.places import sister_region_lines
from actions.compose.reply import Reply
from actions.compose.subjects import Subject, name
from actions.dates import format_plan_date
from actions.numbers import format_figure
from actions.texts import text
from knowledge.facts import Fact, facts_of_kind
from knowledge.units import PREFIXES, split_unit

OFFICES_SOURCE = "d1-s2-example-overseas-office-info"


def _amount(region: Fact, kind: str) -> Optional[Decimal]:
    figure = region.data.get("figures", {}).get(kind)
    if figure is None:
        return None
    prefix, _ = split_unit(figure["unit"])
    return Decimal(str(figure["value"])) * (PREFIXES[prefix] if prefix else 1)


def _difference(region: Fact, amount: Decimal, language: str, kind: str) -> str:
    """A difference written in the unit of `region`'s figure."""
    unit = region.data["figures"][kind]["unit"]
    prefix, base = split_unit(unit)
    value = amount / (PREFIXES[prefix] if prefix else 1)
    plain = format(value.normalize(), "f")
    return format_figure(float(plain), unit, f"{plain}{unit}" if base != "%" else f"{plain}%", language)


def compare_regions(regions: Sequence[Fact], kind: str, language: str) -> Reply:
    """Two or more profiles on one figure: the larger first, all figures, the difference."""
    valued = [(r, _amount(r, kind)) for r in regions]
    missing = [r for r, amount in valued if amount is None]
    valued = sorted(((r, a) for r, a in valued if a is not None), key=lambda pair: -pair[1])
    metric = label(kind, language)
    lines: List[str] = []
    if len(valued) >= 2:
        top, second = valued[0], valued[1]
        lines.append(text("compare_lead", language, winner=name(top[0], language), metric=metric))
        lines += [f"{name(r, language)}: {figure_value(r, kind, language)}" for r, _ in valued]
        lines.append(text("difference", language, difference=_difference(top[0], top[1] - second[1], language, kind)))
    lines += [text("lack", language, attribute=metric, subject=name(r, language)) for r in missing]
    sources = [passage(r.data["source"]) for r in regions]
    kind_of_reply = "answer" if len(valued) >= 2 and not missing else ("partial" if valued else "abstain")
    return Reply(kind_of_reply, lines, sources)


def rank_regions(kind: str, highest: bool, language: str) -> Reply:
    """All profiles that give the figure, from the highest (or lowest)."""
    regions = [r for r in facts_of_kind("regions").values() if _amount(r, kind) is not None]
    ordered = sorted(regions, key=lambda r: _amount(r, kind), reverse=highest)
    lines = [text("rank_lead_high" if highest else "rank_lead_low", language,
                  region=name(ordered[0], language), metric=label(kind, language))]
    lines += [f"{name(r, language)}: {figure_value(r, kind, language)}" for r in ordered]
    lines.append(text("rank_note", language))
    return Reply("answer", lines, [passage(r.data["source"]) for r in ordered])


def _offices(asked: Asked, language: str) -> Reply:
    offices = list(facts_of_kind("offices").values())
    published = list(dict.fromkeys(code for f in offices for code in f.data.get("publishes_in") or []))
    lines: List[str] = []
    if "how_many" in asked.answer_types:
        if "languages" in asked.attributes:
            names = ", ".join(language_name(code, language) for code in published)
            lines.append(text("count_total", language, count=len(published)) + " " + names)
        else:
            lines.append(text("count_total", language, count=len(offices)))
    lines.append(text("offices_intro", language))
    for fact in offices:
        codes = ", ".join(language_name(c, language) for c in fact.data.get("publishes_in") or [])
        lines.append(f"• {name(fact, language)} — {text('label_publishes_in', language)}: {codes}")
    details = [a for a in asked.attributes if a in ("when", "staff", "location")]
    sources = [passage(OFFICES_SOURCE)]
    if details:  # each office's card instead of the one-line list
        lines = lines[: -len(offices)]
        for fact in offices:
            card = office(Subject("offices", fact.id, fact), Asked([], [], set(), asked.question), language)
            lines += card.lines
            sources += [s for s in card.sources if s not in sources]
    return Reply("answer", lines, sources, passage(OFFICES_SOURCE).as_of)


def _regions(asked: Asked, language: str) -> Reply:
    figures = [a for a in asked.attributes if a in FIGURES]
    if figures and ({"most", "least"} & asked.answer_types):
        return rank_regions(figures[0], "least" not in asked.answer_types, language)
    regions = list(facts_of_kind("regions").values())
    if figures:
        return compare_regions(regions, figures[0], language)
    lines = []
    if "how_many" in asked.answer_types:
        lines.append(text("count_total", language, count=len(regions)))
    lines.append(text("regions_intro", language))
    lines += [f"• {name(r, language)}" for r in regions]
    return Reply("answer", lines, [passage(r.data["source"]) for r in regions][:1])


def _programmes(asked: Asked, language: str) -> Reply:
    programmes = list(facts_of_kind("programmes").values())
    lines = [text("programmes_intro", language)]
    for fact in programmes:
        date = fact.data.get("since") or fact.data.get("as_of")
        lines.append(f"• {name(fact, language)}" + (f" ({format_plan_date(date, language)})" if date else ""))
    return Reply("answer", lines, list(dict.fromkeys(passage(f.data["source"]) for f in programmes))[:1])


def collection(subject: Subject, asked: Asked, language: str) -> Optional[Reply]:
    """A collection's answer; None for collections answered elsewhere (directions)."""
    if subject.id == "offices":
        return _offices(asked, language)
    if subject.id == "regions":
        return _regions(asked, language)
    if subject.id == "programmes":
        return _programmes(asked, language)
    if subject.id == "sister_regions":
        found = sorted(facts_of_kind("sister_regions").values(), key=lambda f: f.data.get("year", 0))
        sources = list(dict.fromkeys(passage(f.data["source"]) for f in found))
        return Reply("answer", sister_region_lines(found, asked, language), sources)
    return None
