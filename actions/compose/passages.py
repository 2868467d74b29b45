"""Answers from a retrieved passage, used only after it is verified.

The Rasa pipeline ranks the plan's passages for every message and sends the
candidates in the parse data (`retrieval`). A candidate is used only if:

- retrieval did not abstain (the best candidates match the words or the
  meaning of the question well enough);
- when the question names a subject, the passage names it too (the mentions
  table of the index), and a region profile is used only for its own region;
- when the question asks for an attribute the plan never gives (a phone
  number, opening hours), no passage is used at all;
- when the question names nothing and the two best candidates are tied but
  about different things, none is used: retrieval cannot tell which is meant.

Among the candidates that pass, one that holds the attribute asked (carries a
date for "when", names an organisation for "who with", a shop for "where to
buy", the name of a figure for a figure) is preferred when its score is close
to the best.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from actions.compose.asked import NEVER_IN_PLAN, Asked
from actions.compose.facts import lack_lines, passage
from actions.compose.reply import Reply
from actions.compose.subjects import HOME, Subject, name
from knowledge.facts import ENTITY_OF_KIND, facts_of_kind, figure_labels
from knowledge.mentions import load_mentions

NAMED_KINDS = ("offices", "other_staff", "programmes", "consultation_center", "regions",
               "sister_regions", "terms", "places", "collection")
WEAK_KINDS = ("terms", "places")
"""Places and terms a question may name only as context ("our Thai company"):
when no passage naming them holds the attribute asked, the restriction is dropped."""
COLLECTION_KINDS = {"offices": "offices", "sister_regions": "sister_regions", "programmes": "programmes"}


def _profile_region(passage_id: str) -> Optional[str]:
    for region in facts_of_kind("regions").values():
        if region.data.get("source") == passage_id:
            return region.id
    return None


def _about(passage_id: str, subjects: List[Subject]) -> bool:
    """Whether the passage names one of the subjects, or the place the plan writes
    it under, and is no other region's profile."""
    named = load_mentions().get(passage_id, frozenset())
    profile_of = _profile_region(passage_id)
    for subject in subjects:
        if subject.kind == "collection":
            if named & set(facts_of_kind(COLLECTION_KINDS.get(subject.id, ""))):
                return True
            continue
        region = subject.region
        if profile_of is not None and profile_of not in {subject.id, region.id if region else None}:
            continue
        if {subject.id, subject.within} & named:
            return True
    return False


def _terms_of_kind(kind: str) -> set:
    return {fact.id for fact in facts_of_kind("terms").values() if fact.data.get("kind") == kind}


CLOSE_ENOUGH = 0.6
"""A candidate holding the attribute is preferred if its score is at least this share of the best."""


def _holds(passage_id: str, attributes: List[str]) -> bool:
    """Whether the passage can hold an attribute asked: a date for "when", an
    organisation for "who with", a shop for "where to buy", a kind of figure by its name
    in the original (直行便 for flights)."""
    named = load_mentions().get(passage_id, frozenset())
    original = passage(passage_id).original.text
    labels = figure_labels()
    return bool(("when" in attributes and passage(passage_id).as_of)
                or ("partners" in attributes and named & _terms_of_kind("organisation"))
                or ("shopping" in attributes and named & _terms_of_kind("shop"))
                or any(word in original for a in attributes for word in labels.get(a, {}).get("ja", ())))


def from_narrative(retrieval: Optional[Dict[str, Any]], asked: Asked, language: str) -> Optional[Reply]:
    """A passage that is no region's profile and holds the attribute asked: what the plan
    says about a figure of a place it gives no figures for (flights to Vietnam)."""
    figures = [a for a in asked.attributes if a in figure_labels()]
    ids = [i for i in verified_candidates(retrieval, asked)
           if _profile_region(i) is None and _holds(i, figures)]
    if not ids:
        return None
    reply = _reply_from(ids[0], language)
    if "how_many" in asked.answer_types and asked.main is not None:
        # A number was asked and the passage tells what was done, not how many.
        reply.lines = lack_lines(name(asked.main.fact, language), figures, language) + reply.lines
        reply.kind = "partial"
    return reply


def _preferring_the_attribute(ids: List[str], scores: Dict[str, float], attributes: List[str]) -> List[str]:
    best = scores.get(ids[0], 0.0) if ids else 0.0
    holding = [i for i in ids if _holds(i, attributes) and scores.get(i, 0.0) >= CLOSE_ENOUGH * best]
    return holding + [i for i in ids if i not in holding]


def verified_candidates(retrieval: Optional[Dict[str, Any]], asked: Asked) -> List[str]:
    """The candidate passage ids that pass the checks of the module docstring."""
    if not isinstance(retrieval, dict) or retrieval.get("abstain"):
        return []
    if any(a in NEVER_IN_PLAN for a in asked.attributes):
        return []
    candidates = [c for c in retrieval.get("candidates") or [] if isinstance(c, dict)]
    scores = {c.get("passage"): float(c.get("score") or 0.0) for c in candidates}
    ids = [i for i in scores if isinstance(i, str) and i in load_mentions()]
    named = [s for s in asked.subjects if s.kind in NAMED_KINDS and not s.is_home]
    if named:
        about = [i for i in ids if _about(i, named)]
        weak = all(s.kind in WEAK_KINDS for s in named)
        if weak and asked.attributes and not any(_holds(i, asked.attributes) for i in about):
            about = [i for i in ids if _holds(i, asked.attributes)] or about
        ids = about
    elif _split(ids, scores):
        return []
    return _preferring_the_attribute(ids, scores, asked.attributes)


TIED = 0.9
"""Two candidates whose scores are within this ratio are tied."""


def _split(ids: List[str], scores: Dict[str, float]) -> bool:
    """Whether a question that names nothing gets two tied candidates about different
    things (no known thing in common but Hokkaido): retrieval cannot tell which is meant."""
    if len(ids) < 2 or scores.get(ids[1], 0.0) < TIED * scores.get(ids[0], 0.0):
        return False
    first, second = (load_mentions().get(i, frozenset()) - {HOME} for i in ids[:2])
    return bool(first and second) and not first & second


def from_passages(retrieval: Optional[Dict[str, Any]], asked: Asked, language: str) -> Optional[Reply]:
    """The best verified passage, or None when none may be used."""
    ids = verified_candidates(retrieval, asked)
    return _reply_from(ids[0], language) if ids else None


STRONG_KINDS = ("consultation_center", "programmes", "offices")
"""Kinds of things a passage can be about for a follow-up ("how many languages do they use?")."""


def _reply_from(passage_id: str, language: str) -> Reply:
    best = passage(passage_id)
    rendering = best.in_language(language)
    reply = Reply("answer", [rendering.title, rendering.text], [best], best.as_of)
    named = load_mentions().get(passage_id, frozenset())
    strong = [(ENTITY_OF_KIND[kind], fact_id) for kind in STRONG_KINDS
              for fact_id in facts_of_kind(kind) if fact_id in named]
    if len(strong) == 1:  # the passage is about one thing: follow-ups refer to it
        reply.about = strong
    return reply
