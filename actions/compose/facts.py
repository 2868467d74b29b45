"""Answers from the structured facts, one attribute at a time, verified.

Every subject kind has the attributes it holds, each a function that states
it from `knowledge/facts` with its passage. Asked for an attribute the
subject does not hold, the reply says exactly what the plan lacks ("The plan
gives no opening hours for the Seoul Office") and then offers what the plan
does say about that subject; it never borrows another entity's facts. When
the question states a value (a year, a language, a place, a number), the
answer checks it first: "Yes." or "No." leads, so a wrong premise is
corrected rather than answered around.
"""
from __future__ import annotations

from dataclasses import replace

from typing import Callable, Dict, List, Optional, Sequence

from actions.compose.asked import FIGURES, NEVER_IN_PLAN, PLACE_KINDS, Asked
from actions.compose.reply import Reply
from actions.compose.subjects import Subject, name
from actions.dates import format_plan_date
from actions.numbers import format_figure
from actions.texts import text
from knowledge.facts import Fact, attribute_labels, facts_of_kind, figure_labels, staff_role_labels
from knowledge.passages import Passage, passages_by_id
from nlu.languages import input_language, language_names

Part = Callable[[], Reply]

STATED_ATTRIBUTES = ("when", "languages", "location", "staff", "partners", "registered_in") + FIGURES
"""Attributes whose absence is worth saying; others simply fall back to the card."""


def passage(passage_id: str) -> Passage:
    return passages_by_id()[passage_id]


def evidence(fact: Fact) -> str:
    found = fact.data.get("evidence") or []
    return found[0] if isinstance(found, list) and found else ""


def label(attribute: str, language: str) -> str:
    return attribute_labels()[attribute][input_language(language)][0]


def language_name(code: str, language: str) -> str:
    return language_names()[code][input_language(language)][0]


def verdict(confirmed: Optional[bool], language: str) -> List[str]:
    """"Yes." / "No." before the facts, when the question stated a value."""
    return [] if confirmed is None else [text("verdict_yes" if confirmed else "verdict_no", language)]


def fact_reply(fact: Fact, lines: List[str], source: Optional[str] = None, as_of: Optional[str] = None) -> Reply:
    return Reply("answer", lines, [passage(source or fact.data["source"])], as_of, evidence(fact))


def lack_lines(subject_name: str, attributes: Sequence[str], language: str) -> List[str]:
    return [text("lack", language, attribute=label(a, language), subject=subject_name) for a in attributes]


def by_attributes(
    subject_name: str, asked: Asked, language: str, parts: Dict[str, Part], card: Part,
) -> Reply:
    """Answer each asked attribute the subject holds, say which it lacks,
    and fall back to the subject's card when nothing specific was asked."""
    answered: Optional[Reply] = None
    lacking: List[str] = []
    for attribute in asked.attributes:
        if attribute in parts:
            part = parts[attribute]()
            if answered is None:
                answered = part
            else:
                answered.add(part)
        elif attribute in NEVER_IN_PLAN or attribute in STATED_ATTRIBUTES:
            lacking.append(attribute)
    if answered is None and not lacking:
        return card()
    lacks = lack_lines(subject_name, lacking, language)
    if answered is None:
        offer = card()
        return Reply("abstain", lacks + [text("plan_has", language, subject=subject_name)] + offer.lines,
                     offer.sources, offer.as_of, offer.original_ja)
    answered.lines += lacks
    answered.kind = "partial" if lacks else answered.kind
    return answered


# ── the consultation center ──────────────────────────────────────────────

def center(subject: Subject, asked: Asked, language: str) -> Reply:
    fact = subject.fact
    center_name = name(fact, language)
    source = passage(fact.data["source"])
    opened, minimum = fact.data["opened"], fact.data["min_languages"]
    route = text("center_route", language, center=center_name, languages=minimum)

    def when() -> Reply:
        years = asked.question.years
        confirmed = (opened in years) if years else None
        lines = verdict(confirmed, language) + [text("center_facts", language, center=center_name, opened=opened)]
        return fact_reply(fact, lines, as_of=fact.data.get("as_of"))

    def languages() -> Reply:
        numbers = [n for n in asked.question.numbers if n.isdigit()]
        confirmed = (str(minimum) in numbers) if numbers else None
        lines = verdict(confirmed, language) + [route]
        if asked.question.languages:
            named = ", ".join(language_name(code, language) for code in asked.question.languages)
            lines.append(text("languages_not_listed", language, languages=named, count=minimum))
            return Reply("partial", lines, [source], fact.data.get("as_of"), evidence(fact))
        return fact_reply(fact, lines, as_of=fact.data.get("as_of"))

    def activities() -> Reply:
        return fact_reply(fact, [route, source.in_language(language).text], as_of=fact.data.get("as_of"))

    def card() -> Reply:
        return fact_reply(fact, [text("center_facts", language, center=center_name, opened=opened), route,
                                 source.in_language(language).text], as_of=fact.data.get("as_of"))

    parts = {"when": when, "languages": languages, "activities": activities, "purpose": activities}
    return by_attributes(center_name, asked, language, parts, card)


# ── offices and other staff abroad ───────────────────────────────────────

def _place_name(place_id: Optional[str], language: str) -> Optional[str]:
    for kind in ("regions", "terms", "places", "sister_regions"):
        fact = facts_of_kind(kind).get(place_id or "")
        if fact is not None:
            return name(fact, language)
    return None


def _staff_line(staff: Sequence[dict], language: str) -> str:
    roles = ", ".join(
        f"{staff_role_labels()[s['role_ja']][input_language(language)][0]} {s['count']}" for s in staff
    )
    return f"• {text('label_staff', language)}: {roles}"


def office(subject: Subject, asked: Asked, language: str) -> Reply:
    fact = subject.fact
    data = fact.data
    office_name = name(fact, language)
    region = _place_name(data.get("country"), language)
    location = _place_name(data.get("location"), language)
    stated_places = {s.id for s in asked.others if s.kind in PLACE_KINDS + ("sister_regions",)}
    dated = data.get("as_of")

    def where() -> Reply:
        known = {p for p in (data.get("location"), data.get("country")) if p}
        confirmed = bool(known & stated_places) if stated_places and known else None
        lines = verdict(confirmed, language) + [office_name]
        lines += [f"• {text('label_location', language)}: {location}"] if location else []
        lines += [f"• {text('label_region', language)}: {region}"] if region else []
        return fact_reply(fact, lines)

    def languages() -> Reply:
        published = data.get("publishes_in") or []
        asked_codes = set(asked.question.languages)
        confirmed = bool(asked_codes & set(published)) if asked_codes else None
        names = ", ".join(language_name(code, language) for code in published)
        lines = verdict(confirmed, language) + [office_name, f"• {text('label_publishes_in', language)}: {names}"]
        return fact_reply(fact, lines, "d1-s2-example-overseas-office-info", dated)

    def since() -> Reply:
        years = asked.question.years
        confirmed = (data["since"] in years) if years else None
        lines = verdict(confirmed, language) + [office_name, f"• {text('label_since', language)}: {data['since']}"]
        return fact_reply(fact, lines)

    def staff() -> Reply:
        lines = [office_name, _staff_line(data["staff"], language)]
        if data.get("staff_uncertain"):
            lines.append(text("staff_uncertain", language, line="所長１"))
        return fact_reply(fact, lines)

    def card() -> Reply:
        lines = [office_name]
        lines += [f"• {text('label_region', language)}: {region}"] if region else []
        lines += [f"• {text('label_location', language)}: {location}"] if location else []
        lines += [f"• {text('label_since', language)}: {data['since']}"] if data.get("since") else []
        lines += [_staff_line(data["staff"], language)] if data.get("staff") else []
        published = data.get("publishes_in") or []
        if published:
            names = ", ".join(language_name(code, language) for code in published)
            lines.append(f"• {text('label_publishes_in', language)}: {names}")
        return fact_reply(fact, lines, as_of=dated if published else None)

    if asked.is_yes_no and stated_places and "location" not in asked.attributes:
        if not asked.attributes:
            return where()  # "Is the ASEAN office in Bangkok?" states a place to check
        asked = replace(asked, attributes=["location", *asked.attributes])
    parts: Dict[str, Part] = {"location": where}
    if data.get("publishes_in"):
        parts["languages"] = languages
    if data.get("since"):
        parts["when"] = since
    if data.get("staff"):
        parts["staff"] = staff
    return by_attributes(office_name, asked, language, parts, card)


# ── sister regions ───────────────────────────────────────────────────────

def sister_region(subject: Subject, asked: Asked, language: str) -> Reply:
    fact = subject.fact
    region = _place_name(fact.data.get("country"), language)
    sister_name = name(fact, language)

    def card() -> Reply:
        years = asked.question.years
        confirmed = (fact.data["year"] in years) if years else (True if asked.is_yes_no else None)
        where = f" ({region})" if region else ""
        lines = verdict(confirmed, language) + [
            text("sister_intro", language),
            f"• {sister_name}{where} — {text('label_year', language)}: {fact.data['year']}",
        ]
        return fact_reply(fact, lines)

    return by_attributes(sister_name, asked, language, {"when": card, "location": card}, card)


# ── programmes ───────────────────────────────────────────────────────────

def _names(items: Sequence[object], language: str) -> List[str]:
    """Names of places or bodies given by id, or by a mapping naming its term or
    sister region (a mapping with only a region, 「ASEAN関係機関」, names no one)."""
    ids = [i if isinstance(i, str) else (i.get("term") or i.get("sister_region")) for i in items
           if isinstance(i, (str, dict))]
    return [n for n in (_place_name(i, language) for i in ids if i) if n]


def programme(subject: Subject, asked: Asked, language: str) -> Reply:
    fact = subject.fact
    data = fact.data
    programme_name = name(fact, language)
    source = passage(data["source"])
    body = source.in_language(language).text

    def described(lead: List[str]) -> Reply:
        return fact_reply(fact, lead + [body], as_of=data.get("as_of"))

    def when() -> Reply:
        date = data.get("since") or data.get("as_of")
        return described([programme_name, f"• {text('label_date', language)}: {format_plan_date(date, language)}"])

    def registered() -> Reply:
        places = [p.get("term") or p.get("region") for p in data.get("trademark_registered_in") or []]
        names = _names(places, language)
        stated = {s.id for s in asked.others}
        confirmed = bool(stated & set(places)) if stated else None
        lead = verdict(confirmed, language) + [
            programme_name, text("count_total", language, count=data["trademark_registered_count"]) + " " + ", ".join(names),
        ]
        return described(lead)

    def partners() -> Reply:
        names = _names(data.get("partners") or [], language)
        return described([programme_name] + ([f"• {text('label_partners', language)}: {', '.join(names)}"] if names else []))

    def card() -> Reply:
        return described([programme_name])

    parts: Dict[str, Part] = {"activities": card, "purpose": card, "location": card}
    if data.get("since") or data.get("as_of"):
        parts["when"] = when
    if data.get("trademark_registered_in"):
        parts["registered_in"] = registered
    if data.get("partners"):
        parts["partners"] = partners
    return by_attributes(programme_name, asked, language, parts, card)


def other_staff(subject: Subject, asked: Asked, language: str) -> Reply:
    fact = subject.fact
    data = fact.data
    staff_name = name(fact, language)
    location = _place_name(data.get("location"), language)

    def card() -> Reply:
        lines = [staff_name]
        lines += [f"• {text('label_location', language)}: {location}"] if location else []
        lines += [f"• {text('label_since', language)}: {data['since']}", _staff_line(data["staff"], language)]
        return fact_reply(fact, lines)

    parts = {"location": card, "when": card, "staff": card}
    return by_attributes(staff_name, asked, language, parts, card)


# ── regions: figures ─────────────────────────────────────────────────────

def figure_value(region: Fact, kind: str, language: str) -> Optional[str]:
    """The region's figure of `kind` in `language`, or None if the plan gives none."""
    figure = region.data.get("figures", {}).get(kind)
    if figure is None:
        return None
    return format_figure(figure["value"], figure["unit"], figure["text"], language)


def figure_line(region: Fact, kind: str, language: str) -> Optional[str]:
    value = figure_value(region, kind, language)
    return None if value is None else f"• {figure_labels()[kind][input_language(language)][0]}: {value}"


def figures_reply(region: Fact, kinds: Sequence[str], language: str, lead: Optional[str] = None) -> Reply:
    """The asked figures of a region profile; a figure it lacks is said so."""
    region_name = name(region, language)
    lines = [lead or text("figures_intro", language, place=region_name)]
    lacking = []
    for kind in kinds:
        line = figure_line(region, kind, language)
        if line is None:
            lacking.append(kind)
        else:
            lines.append(line)
    if len(lines) == 1:
        return Reply("abstain", [text("lack", language, attribute=label(k, language), subject=region_name) for k in lacking],
                     [passage(region.data["source"])], None, evidence(region))
    lines += [text("lack", language, attribute=label(k, language), subject=region_name) for k in lacking]
    return Reply("partial" if lacking else "answer", lines, [passage(region.data["source"])], None, evidence(region))


def region_profile(region: Fact, language: str) -> Reply:
    """The whole profile as the plan prints it (figures, offices, partners, focus)."""
    source = passage(region.data["source"])
    lines = [source.in_language(language).text]
    sources = [source]
    shared = region.data.get("shared_focus")
    if shared:
        lines += [text("shared_focus", language), passage(shared).in_language(language).text]
        sources.append(passage(shared))
    return Reply("answer", lines, sources, None, evidence(region))
