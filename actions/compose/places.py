"""Answers about places: the plan's region profiles, and places it has no
profile for (Hokkaido itself, Russia, North America, a single country).

A figure asked for a place without a profile is never taken from another
region. The reply says the plan gives no such figure for that place; when the
plan's own region profile contains the place (Taiwan in 台湾・香港, Vietnam in
ＡＳＥＡＮ諸国), it offers that region's figure, named as the region's.
"""
from __future__ import annotations

from typing import List, Optional

from actions.compose.asked import FIGURES, NEVER_IN_PLAN, Asked
from actions.compose.facts import (
    evidence, figures_reply, lack_lines, office, other_staff, passage, region_profile, verdict,
)
from actions.compose.reply import Reply
from actions.compose.subjects import Subject, name
from actions.texts import text
from knowledge.facts import Fact, facts_of_kind


def _offices_for(subject: Subject) -> List[Fact]:
    """Offices the plan places in this place (by location) or region (by country)."""
    located = [
        fact for kind in ("offices", "other_staff") for fact in facts_of_kind(kind).values()
        if fact.data.get("location") == subject.id
        or (subject.kind == "regions" and fact.data.get("country") == subject.id and kind == "offices")
    ]
    related = [facts_of_kind("offices")[i] for i in (subject.fact.data.get("related_offices") or [])]
    return located + [f for f in related if f not in located]


def _sister_regions_for(subject: Subject) -> List[Fact]:
    return sorted(
        (f for f in facts_of_kind("sister_regions").values()
         if f.data.get("country") == subject.id or f.data.get("place") == subject.id),
        key=lambda f: f.data.get("year", 0),
    )


def offices_reply(subject: Subject, asked: Asked, language: str, by_attribute: bool = False) -> Reply:
    """The offices in or for a place: full cards, or only the attributes asked
    (`by_attribute`, "China?" after "what languages does the Seoul office use?")."""
    place_name = name(subject.fact, language)
    found = _offices_for(subject)
    yes_no = asked.is_yes_no
    if not found:
        lines = verdict(False if yes_no else None, language) + [text("no_office", language, place=place_name)]
        region = subject.region
        if region is not None and region.id != subject.id:
            for fact in _offices_for(Subject("regions", region.id, region)):
                lines.append(text("office_of_region", language, region=name(region, language)))
                lines += office(Subject("offices", fact.id, fact), _plain(asked), language).lines
                return Reply("partial", lines, [passage(fact.data["source"])], None, evidence(fact))
        return Reply("abstain", lines, [passage(subject.fact.data["source"])] if subject.fact.data.get("source") else [])
    reply: Optional[Reply] = None
    about = [("office", fact.id) for fact in found]
    for fact in found:
        kind = "offices" if fact.id in facts_of_kind("offices") else "other_staff"
        answer = (office if kind == "offices" else other_staff)(
            Subject(kind, fact.id, fact), asked if by_attribute else _plain(asked), language)
        if reply is None:
            reply = answer
        else:
            reply.add(answer)
    related_only = not any(f.data.get("location") == subject.id or f.data.get("country") == subject.id for f in found)
    if related_only:
        reply.lines = [text("office_related", language, place=place_name)] + reply.lines
        reply.kind = "partial"
    else:
        reply.lines = verdict(True if yes_no else None, language) + reply.lines
    reply.about = about
    return reply


def _plain(asked: Asked) -> Asked:
    """The question without attributes, for an office's full card."""
    return Asked([], [], set(asked.answer_types), asked.question)


def sister_regions_reply(subject: Subject, asked: Asked, language: str) -> Reply:
    place_name = name(subject.fact, language)
    found = _sister_regions_for(subject)
    if not found:
        lines = verdict(False if asked.is_yes_no else None, language)
        return Reply("abstain", lines + [text("no_sister_region", language, place=place_name)])
    stated = {s.id for s in asked.others if s.kind in ("sister_regions", "terms", "places")}
    confirmed = bool(stated & {f.id for f in found}) if stated else (True if asked.is_yes_no else None)
    lines = verdict(confirmed, language) + sister_region_lines(found, asked, language)
    sources = list(dict.fromkeys(passage(f.data["source"]) for f in found))
    reply = Reply("answer", lines, sources, None, evidence(found[0]) if len(found) == 1 else "")
    reply.about = [("place", found[0].id)] if len(found) == 1 else []
    return reply


def sister_region_lines(found: List[Fact], asked: Asked, language: str) -> List[str]:
    """The count first when asked, the earliest or latest when asked, then the list by year."""
    lines: List[str] = []
    if "how_many" in asked.answer_types:
        lines.append(text("count_total", language, count=len(found)))
    for end, pick in (("earliest", found[0]), ("latest", found[-1])):
        if end in asked.answer_types:
            lines.append(text(f"{end}_lead", language, name=name(pick, language), year=pick.data["year"]))
    lines.append(text("sister_intro", language))
    for fact in found:
        region = facts_of_kind("regions").get(fact.data.get("country") or "")
        where = f" ({name(region, language)})" if region else ""
        lines.append(f"• {name(fact, language)}{where} — {text('label_year', language)}: {fact.data['year']}")
    return lines


def figures_for_place(subject: Subject, figures: List[str], language: str) -> Reply:
    place_name = name(subject.fact, language)
    lacks = lack_lines(place_name, figures, language)
    region = subject.region
    if region is not None:
        lead = text("parent_figures", language, place=place_name, region=name(region, language))
        offer = figures_reply(region, figures, language, lead)
        return Reply("partial", lacks + offer.lines, offer.sources, None, offer.original_ja)
    profiled = ", ".join(name(f, language) for f in facts_of_kind("regions").values())
    return Reply("abstain", lacks + [text("figures_available", language, regions=profiled)])


OFFICE_ATTRIBUTES = ("languages", "staff", "location")
"""What only an office has: asked of a place, they are asked of its offices."""


def place(subject: Subject, asked: Asked, language: str) -> Optional[Reply]:
    """A region profile, or a place the plan has no profile for. None when the
    answer must come from the passages that mention the place."""
    attributes = asked.attributes
    figures = [a for a in attributes if a in FIGURES]
    if "shopping" in attributes:
        return None  # where to buy: the passages that name a shop there
    if "offices" in attributes:
        return offices_reply(subject, asked, language)
    if "sister_regions" in attributes:
        return sister_regions_reply(subject, asked, language)
    if set(attributes) & set(OFFICE_ATTRIBUTES) and _offices_for(subject):
        return offices_reply(subject, asked, language, by_attribute=True)
    region = subject.region
    if region is not None and set(attributes) & {"agreements", "focus"}:
        return region_profile(region, language)
    if subject.kind == "regions":
        if figures:
            return figures_reply(subject.fact, figures, language)
        reply = region_profile(subject.fact, language)
        lacking = [a for a in attributes if a in NEVER_IN_PLAN]
        if lacking:
            reply.lines = lack_lines(name(subject.fact, language), lacking, language) + reply.lines
            reply.kind = "abstain"
        return reply
    if figures:
        return figures_for_place(subject, figures, language)
    lacking = [a for a in attributes if a in NEVER_IN_PLAN]
    if lacking:
        lines = lack_lines(name(subject.fact, language), lacking, language)
        return Reply("abstain", lines)
    if subject.fact.data.get("related_offices"):
        return offices_reply(subject, asked, language)
    return None
