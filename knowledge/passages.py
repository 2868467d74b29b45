"""The plan's passages in Japanese and in every answer language.

`knowledge/passages.yml` holds the Japanese original, segmented along the
plan's structure; `knowledge/translations/<lang>.yml` holds faithful,
machine-assisted translations (and the easy-Japanese rewrite) keyed by
passage id. This module loads and checks both and is the one place that
knows their layout.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from knowledge.facts import KNOWLEDGE_DIR, KnowledgeError, read_yaml
from nlu.chinese_script import TRADITIONAL, to_traditional
from nlu.languages import ANSWER_LANGUAGES, CONVERTED_STYLES, written_language

PASSAGES_FILE = KNOWLEDGE_DIR / "passages.yml"
TRANSLATIONS_DIR = KNOWLEDGE_DIR / "translations"
SOURCE_LANGUAGE = "ja"


@dataclass(frozen=True)
class Rendering:
    """A passage in one language."""

    section: Tuple[str, ...]
    title: str
    text: str
    reviewed: bool


@dataclass(frozen=True)
class Passage:
    """One passage of the plan with its renderings by language."""

    id: str
    kind: str
    as_of: Optional[str]
    renderings: Dict[str, Rendering] = field(hash=False)

    @property
    def original(self) -> Rendering:
        return self.renderings[SOURCE_LANGUAGE]

    def in_language(self, language: str) -> Rendering:
        """The rendering in `language`, else the Japanese original. A converted
        style (zh-Hant) is the written language's rendering, converted."""
        written = written_language(language)
        rendering = self.renderings.get(written, self.original)
        if written == language:
            return rendering
        return converted(rendering, language)


def converted(rendering: Rendering, style: str) -> Rendering:
    """A rendering in a converted answer style; its review status is the original's."""
    if style != TRADITIONAL:
        raise ValueError(f"no converter for the answer style {style!r}")
    return Rendering(
        tuple(to_traditional(part) for part in rendering.section),
        to_traditional(rendering.title), to_traditional(rendering.text), rendering.reviewed,
    )


def _text_field(path: Path, entry: str, data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(path, entry, f"'{key}' must be a non-empty string")
    return value.strip()


def _section(path: Path, entry: str, data: dict, length: Optional[int]) -> Tuple[str, ...]:
    section = data.get("section")
    if not isinstance(section, list) or not section or not all(
        isinstance(part, str) and part.strip() for part in section
    ):
        raise KnowledgeError(path, entry, "'section' must be a non-empty list of headings")
    if length is not None and len(section) != length:
        raise KnowledgeError(
            path, entry, f"'section' has {len(section)} headings, the original has {length}"
        )
    return tuple(part.strip() for part in section)


def _load_originals() -> Dict[str, Tuple[str, Optional[str], Rendering]]:
    document = read_yaml(PASSAGES_FILE)
    if not isinstance(document, dict) or not isinstance(document.get("passages"), list):
        raise KnowledgeError(PASSAGES_FILE, "(file)", "expected a top-level 'passages:' list")
    originals: Dict[str, Tuple[str, Optional[str], Rendering]] = {}
    for index, data in enumerate(document["passages"]):
        entry = f"passages[{index}]"
        if not isinstance(data, dict):
            raise KnowledgeError(PASSAGES_FILE, entry, "entry must be a mapping")
        passage_id = _text_field(PASSAGES_FILE, entry, data, "id")
        entry = f"passages[{index}] (id {passage_id})"
        if passage_id in originals:
            raise KnowledgeError(PASSAGES_FILE, entry, "duplicate id")
        rendering = Rendering(
            _section(PASSAGES_FILE, entry, data, None),
            _text_field(PASSAGES_FILE, entry, data, "title"),
            _text_field(PASSAGES_FILE, entry, data, "text"),
            reviewed=True,
        )
        as_of = data.get("as_of")
        originals[passage_id] = (
            _text_field(PASSAGES_FILE, entry, data, "kind"),
            str(as_of) if as_of else None,
            rendering,
        )
    return originals


def _is_reviewed(data: dict) -> bool:
    """`status: reviewed` on a whole file, or on one passage's entry (the console's review)."""
    return str(data.get("status", "")).strip().lower() == "reviewed"


def _load_translation(
    language: str, originals: Dict[str, Tuple[str, Optional[str], Rendering]]
) -> Dict[str, Rendering]:
    path = TRANSLATIONS_DIR / f"{language}.yml"
    document = read_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("passages"), dict):
        raise KnowledgeError(path, "(file)", "expected a top-level 'passages:' mapping by id")
    if document.get("language") != language:
        raise KnowledgeError(path, "language", f"must be {language!r}")
    reviewed = _is_reviewed(document)
    renderings: Dict[str, Rendering] = {}
    for passage_id, data in document["passages"].items():
        entry = f"passages.{passage_id}"
        if passage_id not in originals:
            raise KnowledgeError(path, entry, "no passage with this id in passages.yml")
        if not isinstance(data, dict):
            raise KnowledgeError(path, entry, "entry must be a mapping")
        original = originals[passage_id][2]
        renderings[passage_id] = Rendering(
            _section(path, entry, data, len(original.section)),
            _text_field(path, entry, data, "title"),
            _text_field(path, entry, data, "text"),
            reviewed or _is_reviewed(data),
        )
    missing = sorted(set(originals) - set(renderings))
    if missing:
        raise KnowledgeError(path, "passages", f"missing translations for {', '.join(missing)}")
    return renderings


@lru_cache(maxsize=1)
def load_passages() -> Tuple[Passage, ...]:
    """All passages, in plan order, with every available rendering."""
    originals = _load_originals()
    translations = {
        language: _load_translation(language, originals)
        for language in ANSWER_LANGUAGES
        if language != SOURCE_LANGUAGE and language not in CONVERTED_STYLES
    }
    passages: List[Passage] = []
    for passage_id, (kind, as_of, original) in originals.items():
        renderings = {SOURCE_LANGUAGE: original}
        for language, by_id in translations.items():
            renderings[language] = by_id[passage_id]
        passages.append(Passage(passage_id, kind, as_of, renderings))
    return tuple(passages)


def passages_by_id() -> Dict[str, Passage]:
    return {passage.id: passage for passage in load_passages()}
