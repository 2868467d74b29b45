"""Load and validate the plan's structured facts, passages and labels.

Every loader fails with a `KnowledgeError` that names the file, the entry and
the problem, so a typo in the YAML stops the build with a message a newcomer
can act on.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml

from nlu.languages import LANGUAGES, language_names

KNOWLEDGE_DIR = Path(__file__).resolve().parent
FACTS_DIR = KNOWLEDGE_DIR / "facts"
INDEX_DIR = KNOWLEDGE_DIR.parent / "build" / "index"
"""Where `make index` writes the search index and the mentions table."""

FACT_SECTIONS: Tuple[Tuple[str, str, str], ...] = (
    ("offices.yml", "offices", "office"),
    ("offices.yml", "other_staff", "office"),
    ("regions.yml", "regions", "place"),
    ("sister_regions.yml", "sister_regions", "place"),
    ("programmes.yml", "programmes", "program"),
    ("consultation_center.yml", "consultation_center", "topic"),
    ("glossary.yml", "terms", "term"),
    ("places.yml", "places", "term"),
)
"""(fact file, top-level key = the facts' kind, entity type their names are found as)."""
ENTITY_OF_KIND: Dict[str, str] = {kind: entity for _, kind, entity in FACT_SECTIONS}
NAME_ONLY_KINDS = ("places",)
"""Kinds that hold names only (places the plan has no profile for): no source, no evidence."""


class KnowledgeError(ValueError):
    """A knowledge file is missing, malformed or inconsistent."""

    def __init__(self, path: Path, entry: str, problem: str) -> None:
        super().__init__(f"{path}: {entry}: {problem}")
        self.path, self.entry, self.problem = path, entry, problem


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning parser errors into a KnowledgeError."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise KnowledgeError(path, "(file)", "file not found") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(path, "(file)", f"not valid YAML: {error}") from None


@dataclass(frozen=True)
class Fact:
    """One entry of a fact file: its kind, id, names per language and data."""

    kind: str
    id: str
    names: Dict[str, List[str]]
    data: Dict[str, Any]
    path: Path


def _check_names(path: Path, entry: str, names: Any) -> Dict[str, List[str]]:
    if not isinstance(names, dict):
        raise KnowledgeError(path, entry, "'names' must map language codes to lists")
    for language in LANGUAGES:
        values = names.get(language)
        if not values or not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise KnowledgeError(
                path, entry, f"'names.{language}' must be a non-empty list of strings"
            )
    return names


def _entries(path: Path, key: str) -> Iterator[Dict[str, Any]]:
    document = read_yaml(path)
    if not isinstance(document, dict) or key not in document:
        raise KnowledgeError(path, "(file)", f"expected a top-level '{key}:' key")
    value = document[key]
    entries = [value] if isinstance(value, dict) else value
    if not isinstance(entries, list):
        raise KnowledgeError(path, key, "must be a list of entries or one entry")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise KnowledgeError(path, f"{key}[{index}]", "entry must be a mapping")
        yield entry


@lru_cache(maxsize=4)
def load_facts(facts_dir: Path = FACTS_DIR) -> Tuple[Fact, ...]:
    """All facts from all fact files, validated for ids and names."""
    facts: List[Fact] = []
    seen: Dict[Tuple[str, str], Path] = {}
    for filename, key, _ in FACT_SECTIONS:
        path = facts_dir / filename
        for index, entry in enumerate(_entries(path, key)):
            fact_id = entry.get("id") or (key if key == "consultation_center" else None)
            label = f"{key}[{index}]" + (f" (id {fact_id})" if fact_id else "")
            if not isinstance(fact_id, str) or not fact_id:
                raise KnowledgeError(path, label, "missing 'id'")
            if (key, fact_id) in seen:
                raise KnowledgeError(path, label, f"duplicate id {fact_id!r}")
            seen[(key, fact_id)] = path
            names = _check_names(path, label, entry.get("names"))
            facts.append(Fact(key, fact_id, names, entry, path))
    return tuple(facts)


def facts_of_kind(kind: str) -> Dict[str, Fact]:
    """Facts of one kind ("offices", "regions", ...) by id."""
    return {fact.id: fact for fact in load_facts() if fact.kind == kind}


def _labels(section: str) -> Dict[str, Dict[str, List[str]]]:
    path = KNOWLEDGE_DIR / "labels.yml"
    labels = (read_yaml(path) or {}).get(section)
    if not isinstance(labels, dict):
        raise KnowledgeError(path, "(file)", f"expected a top-level '{section}:' mapping")
    for key, names in labels.items():
        _check_names(path, f"{section}.{key}", names)
    return labels


@lru_cache(maxsize=1)
def figure_labels() -> Dict[str, Dict[str, List[str]]]:
    """Figure kind -> language -> names (first is the display label)."""
    return _labels("figures")


@lru_cache(maxsize=1)
def attribute_labels() -> Dict[str, Dict[str, List[str]]]:
    """Attribute a question asks (nlu/cues keys, figure kinds) -> language -> names."""
    return {**figure_labels(), **_labels("attributes")}


@lru_cache(maxsize=1)
def staff_role_labels() -> Dict[str, Dict[str, List[str]]]:
    """Staff role as the plan writes it (所長) -> language -> names."""
    return _labels("staff_roles")


def with_traditional(names: List[str], language: str) -> List[str]:
    """Chinese names also in Traditional characters (台灣, 韓國, 俄羅斯), as users
    in Taiwan and Hong Kong type them; other languages unchanged."""
    if language != "zh":
        return names
    from nlu.chinese_script import traditional_forms

    return list(dict.fromkeys(names + [form for name in names for form in traditional_forms(name)]))


def gazetteer_terms() -> List[Tuple[str, str, str]]:
    """(entity, value, name) for every name users may type, all languages.

    Facts give places, offices, programmes and topics; the plan's headings
    give its sections (`section`); labels give figure kinds (`metric`);
    `nlu/languages.yml` gives language names (`requested_language`).
    """
    from knowledge.sections import section_names

    terms: List[Tuple[str, str, str]] = []
    for fact in load_facts():
        for language, names in fact.names.items():
            terms.extend((ENTITY_OF_KIND[fact.kind], fact.id, name) for name in with_traditional(names, language))
    terms.extend(("section", section_id, name) for section_id, name in section_names())
    for kind, by_language in figure_labels().items():
        for language, names in by_language.items():
            terms.extend(("metric", kind, name) for name in with_traditional(names, language))
    for code, by_language in language_names().items():
        for language, names in by_language.items():
            terms.extend(("requested_language", code, name) for name in with_traditional(names, language))
    return terms
