"""Grounded answers: structured facts first, retrieved passages second.

For offices, sister regions, the consultation center, export programmes and
region figures the answer is composed from `knowledge/facts`, filling in the
place, office or programme asked about in this message or, for follow-ups
("And Korea?"), remembered in slots. Anything else inside the plan is answered
with the best retrieved passage in the user's language. Every answer ends
with its citation; the original Japanese goes along as a custom payload.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import utter_center_route
from actions.citations import as_of_line, citation_line, citation_payload
from actions.context import Request, effective_intent
from actions.language import reply_language
from actions.numbers import format_figure
from actions.texts import text
from knowledge.facts import Fact, facts_of_kind, figure_labels, staff_role_labels
from knowledge.passages import Passage, passages_by_id
from knowledge.search import SearchIndex
from nlu.languages import input_language, language_names

FIGURE_ORDER = ("gdp", "growth", "population", "visitors", "food_exports", "flights")


@dataclass
class Answer:
    """Lines of a reply, the passage they come from, and slot updates."""

    lines: List[str]
    passage: Passage
    as_of: Optional[str] = None
    original_ja: str = ""
    slots: Dict[str, Any] = field(default_factory=dict)
    also_from: List[Passage] = field(default_factory=list)
    """Further passages the lines come from (a list spanning several regions)."""


@lru_cache(maxsize=1)
def search_index() -> SearchIndex:
    """Loaded once per action-service process (embeddings and BM25)."""
    return SearchIndex.load()


def name(fact: Fact, language: str) -> str:
    """The display name of a fact in `language` (easy Japanese uses Japanese)."""
    return fact.names[input_language(language)][0]


def language_name(code: str, language: str) -> str:
    return language_names()[code][input_language(language)][0]


def _evidence(fact: Fact) -> str:
    evidence = fact.data.get("evidence") or []
    return evidence[0] if isinstance(evidence, list) and evidence else ""


def _region_of(place: Optional[str]) -> Optional[str]:
    """The region profile a place falls under: itself, a sister region's country,
    or a glossary term's region (Taiwan -> taiwan_hongkong)."""
    if not place:
        return None
    if place in facts_of_kind("regions"):
        return place
    for kind, key in (("sister_regions", "country"), ("terms", "region")):
        fact = facts_of_kind(kind).get(place)
        if fact:
            return fact.data.get(key)
    return None


def _office_for(request: Request) -> Optional[Fact]:
    """The office asked about: named directly, or by its country or city;
    this message first, then the remembered office and place."""
    offices = facts_of_kind("offices")
    office = request.get("office", remembered=False)
    places = request.named_places()
    if office is None and not places:
        office = request.tracker.get_slot("office")
        places = [p for p in (request.tracker.get_slot("place"),) if p]
    if office in offices:
        return offices[office]
    for place in places:
        region = _region_of(place)
        for fact in offices.values():
            if place == fact.data.get("location") or (region and region == fact.data.get("country")):
                return fact
    return None


def answer_office(request: Request, language: str) -> Answer:
    office = _office_for(request)
    passages = passages_by_id()
    if office is None:
        named = request.named_places()
        asked = named[0] if named else None
        lines = []
        if asked:
            asked_fact = facts_of_kind("regions").get(asked) or facts_of_kind("terms").get(asked)
            if asked_fact:
                lines.append(text("no_office", language, place=name(asked_fact, language)))
        lines.append(text("offices_intro", language))
        for fact in facts_of_kind("offices").values():
            published = ", ".join(language_name(c, language) for c in fact.data.get("publishes_in", []))
            lines.append(f"• {name(fact, language)} — {text('label_publishes_in', language)}: {published}")
        source = passages["d1-s2-example-overseas-office-info"]
        return Answer(lines, source, source.as_of)
    lines = [name(office, language)]
    country = facts_of_kind("regions").get(office.data.get("country") or "")
    if country:
        lines.append(f"• {text('label_region', language)}: {name(country, language)}")
    location = facts_of_kind("terms").get(office.data.get("location") or "")
    if location:
        lines.append(f"• {text('label_location', language)}: {name(location, language)}")
    if office.data.get("since"):
        lines.append(f"• {text('label_since', language)}: {office.data['since']}")
    staff = office.data.get("staff") or []
    if staff:
        roles = ", ".join(
            f"{staff_role_labels()[s['role_ja']][input_language(language)][0]} {s['count']}" for s in staff
        )
        lines.append(f"• {text('label_staff', language)}: {roles}")
    published = [language_name(code, language) for code in office.data.get("publishes_in", [])]
    if published:
        lines.append(f"• {text('label_publishes_in', language)}: {', '.join(published)}")
    return Answer(
        lines, passages[office.data["source"]], office.data.get("as_of"), _evidence(office),
        {"office": office.id, "place": office.data.get("country")},
    )


def answer_sister_regions(request: Request, language: str) -> Answer:
    sisters = facts_of_kind("sister_regions")
    named = request.named_places()
    chosen = [sisters[p] for p in named if p in sisters]
    if not chosen:
        regions = {_region_of(p) for p in named}
        chosen = [f for f in sisters.values() if f.data.get("country") in regions] or list(sisters.values())
    regions = facts_of_kind("regions")
    lines = [text("sister_intro", language)]
    for fact in sorted(chosen, key=lambda f: f.data.get("year", 0)):
        country = regions.get(fact.data.get("country") or "")
        where = f" ({name(country, language)})" if country else ""
        lines.append(f"• {name(fact, language)}{where} — {text('label_year', language)} {fact.data.get('year')}")
    passages = passages_by_id()
    sources = [passages[pid] for pid in dict.fromkeys(f.data["source"] for f in chosen)]
    slots = {"place": chosen[0].id} if len(chosen) == 1 else {}
    original = _evidence(chosen[0]) if len(chosen) == 1 else ""
    return Answer(lines, sources[0], None, original, slots, also_from=sources[1:])


def answer_figures(request: Request, language: str) -> Optional[Answer]:
    """Figures of the region named (or remembered); one figure if one was asked
    for, or remembered for a short follow-up ("And Korea?"); else all."""
    regions = facts_of_kind("regions")
    named = [r for r in map(_region_of, request.named_places()) if r]
    region = regions.get(named[0] if named else _region_of(request.tracker.get_slot("place")) or "")
    if region is None:
        return None
    labels = figure_labels()
    metric = request.get("metric", remembered=False)
    if metric is None and request.is_short:
        metric = request.tracker.get_slot("metric")
    figures = region.data.get("figures", {})
    lines = [text("figures_intro", language, place=name(region, language))]
    kinds = [metric] if metric in labels else [k for k in FIGURE_ORDER if k in figures]
    for kind in kinds:
        label = labels[kind][input_language(language)][0]
        figure = figures.get(kind)
        if figure is None:
            lines.append(text("no_figure", language, place=name(region, language), metric=label))
            continue
        value = format_figure(figure["value"], figure["unit"], figure["text"], language)
        lines.append(f"• {label}: {value}")
    return Answer(
        lines, passages_by_id()[region.data["source"]], None, _evidence(region),
        {"place": region.id, "metric": metric if metric in labels else None},
    )


def answer_center(language: str) -> Answer:
    center = next(iter(facts_of_kind("consultation_center").values()))
    passage = passages_by_id()[center.data["source"]]
    lines = [
        text("center_facts", language, center=name(center, language), opened=center.data["opened"]),
        text("center_route", language, center=name(center, language), languages=center.data["min_languages"]),
        passage.in_language(language).text,
    ]
    return Answer(lines, passage, center.data.get("as_of"), _evidence(center))


def answer_programme(request: Request, language: str) -> Optional[Answer]:
    programme = facts_of_kind("programmes").get(request.get("program", False) or "")
    if programme is None:
        return None
    passage = passages_by_id()[programme.data["source"]]
    lines = [name(programme, language), passage.in_language(language).text]
    return Answer(lines, passage, programme.data.get("as_of"), _evidence(programme), {"program": programme.id})


def answer_from_passages(query: str, language: str) -> Optional[Answer]:
    result = search_index().search(query, language, k=1)
    if result.abstain:
        return None
    passage = passages_by_id()[result.hits[0].passage_id]
    rendering = passage.in_language(language)
    return Answer([rendering.title, rendering.text], passage, passage.as_of)


def compose(tracker: Tracker, language: str) -> Optional[Answer]:
    """The answer for the latest message, or None when the plan has none."""
    request = Request(tracker)
    intent = effective_intent(tracker, request)
    answer: Optional[Answer]
    regions_named = set(request.named_places()) & set(facts_of_kind("regions"))
    if request.get("metric", remembered=False) and (
        intent == "ask_region_figures" or (intent == "ask_plan_topic" and regions_named)
    ):
        answer = answer_figures(request, language) or answer_from_passages(request.text, language)
    elif request.get("program", remembered=False) and intent != "ask_consultation_center":
        answer = answer_programme(request, language)
    elif intent == "ask_overseas_office":
        answer = answer_office(request, language)
    elif intent == "ask_sister_region":
        answer = answer_sister_regions(request, language)
    elif intent == "ask_consultation_center":
        answer = answer_center(language)
    elif intent == "ask_region_figures":
        answer = answer_figures(request, language) or answer_from_passages(request.text, language)
    elif intent == "ask_export_support":
        answer = answer_programme(request, language) or answer_from_passages(request.text, language)
    else:
        answer = answer_from_passages(request.text, language)
    if answer is not None:
        answer.slots["topic"] = intent
    return answer


def respond(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """Send the grounded answer (or the honest no-answer); return slot events."""
    language = reply_language(tracker)
    answer = compose(tracker, language)
    if answer is None:
        utter_center_route(dispatcher, language, "no_answer")
        return []
    rendering = answer.passage.in_language(language)
    footer = [as_of_line(answer.as_of, language)] + [
        citation_line(passage, language) for passage in [answer.passage, *answer.also_from]
    ]
    if not rendering.reviewed:
        footer.insert(0, text("translated_note", language))
    dispatcher.utter_message(text="\n".join(answer.lines + [line for line in footer if line]))
    dispatcher.utter_message(json_message=citation_payload(answer.passage, language, answer.original_ja))
    return [SlotSet(slot, value) for slot, value in answer.slots.items() if value]


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return respond(dispatcher, tracker)
