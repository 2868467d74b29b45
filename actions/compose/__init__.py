"""Grounded replies, verified before they are spoken.

`compose_reply` turns this turn's question (`asked.read_asked`: subjects,
attributes, answer types, with the follow-up rule) into a reply:

1. two or more region profiles and a figure: a comparison (`collections`);
2. the plan's structure (a direction, a section, a theme): `sections`;
3. a group (all offices, all sister regions, all regions): `collections`;
4. one subject: its facts, attribute by attribute (`facts`, `places`), saying
   what the plan lacks instead of borrowing another entity's facts;
5. otherwise, or where the facts hold no specific answer, the best retrieved
   passage that passes verification (`passages`).

It returns None when the plan has no answer; the caller says so honestly.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from actions.compose.asked import FIGURES, NEVER_IN_PLAN, Asked
from actions.compose.collections import collection, compare_regions
from actions.compose.facts import center, label, office, other_staff, programme, sister_region
from actions.compose.facts import passage
from actions.compose.passages import from_narrative, from_passages, verified_candidates
from actions.compose.places import figures_for_place, place
from actions.compose.reply import Reply
from actions.compose.sections import directions, section
from actions.texts import text
from knowledge.facts import facts_of_kind
from knowledge.mentions import load_mentions
from knowledge.sections import section_of

Handler = Callable[..., Optional[Reply]]
HANDLERS: Dict[str, Handler] = {
    "consultation_center": center,
    "offices": office,
    "other_staff": other_staff,
    "sister_regions": sister_region,
    "programmes": programme,
    "regions": place,
    "terms": place,
    "places": place,
}
DESCRIBED_BY_PASSAGES = ("activities", "purpose", "partners")
"""Attributes an office's facts do not hold but the passages naming it may."""


def _office_from_passages(asked: Asked, retrieval: Optional[Dict[str, Any]], language: str) -> Optional[Reply]:
    """A passage about the office when the question is about what it does, or
    names nothing its card holds and the best passage naming it is not its card's."""
    main = asked.main
    if asked.attributes and not set(asked.attributes) & set(DESCRIBED_BY_PASSAGES):
        return None
    ids = verified_candidates(retrieval, asked)
    # The card comes from its source and the passages that describe the office itself; a
    # passage about one of its programmes (online classes) answers what it did.
    programmes = set(facts_of_kind("programmes"))
    card_sources = {main.fact.data.get("source")} | {
        p for p in main.fact.data.get("see_also") or [] if not load_mentions().get(p, frozenset()) & programmes}
    if not ids or (not asked.attributes and (ids[0] in card_sources or passage(ids[0]).kind == "region_profile")):
        return None
    return from_passages(retrieval, asked, language)


def _theme(asked: Asked, retrieval: Optional[Dict[str, Any]], language: str) -> Optional[Reply]:
    """A theme named in other words ("risk", "logistics") is answered with its
    section when retrieval agrees, else with the passage retrieval found."""
    main = asked.main
    ids = verified_candidates(retrieval, Asked([], asked.attributes, asked.answer_types, asked.question))
    if not ids or main.id in section_of(ids[0]):
        return section(main, language)
    return from_passages(retrieval, Asked([], asked.attributes, asked.answer_types, asked.question), language)


def _lack_only(asked: Asked, language: str) -> Optional[Reply]:
    """What the plan lacks, when only attributes it never gives were asked."""
    lacking = [a for a in asked.attributes if a in NEVER_IN_PLAN]
    if not lacking or len(lacking) < len(asked.attributes):
        return None
    lines = [text("lack_general", language, attribute=label(a, language)) for a in lacking]
    return Reply("abstain", lines)


def compose_reply(asked: Asked, retrieval: Optional[Dict[str, Any]], language: str) -> Optional[Reply]:
    """The verified reply to this turn's question, or None (see the module docstring)."""
    main = asked.main
    figures = [a for a in asked.attributes if a in FIGURES]
    regions = [s.fact for s in asked.subjects if s.kind == "regions"]
    reply: Optional[Reply] = None
    if figures and len(regions) >= 2:
        reply = compare_regions(regions, figures[0], language)
    elif main is None or asked.guessed and _lack_only(asked, language):
        reply = _lack_only(asked, language) or from_passages(retrieval, asked, language)
    elif main.kind == "section":
        reply = section(main, language)
    elif main.kind == "theme":
        reply = _theme(asked, retrieval, language)
    elif main.kind == "collection":
        if set(asked.attributes) & set(DESCRIBED_BY_PASSAGES):
            reply = from_passages(retrieval, asked, language)
        reply = reply or (directions(language) if main.id == "directions" else collection(main, asked, language))
    else:
        if main.kind == "offices":
            reply = _office_from_passages(asked, retrieval, language)
        if main.kind in ("places", "sister_regions", "terms") and figures:
            reply = from_narrative(retrieval, asked, language)
        if main.kind == "sister_regions" and figures:
            reply = reply or figures_for_place(main, figures, language)
        reply = reply or HANDLERS[main.kind](main, asked, language)
        reply = reply or from_passages(retrieval, asked, language)
    if reply is not None:
        reply.memory = asked.memory(reply.about)
    return reply
