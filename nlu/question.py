"""What a message asks: its subjects, the attribute asked, the kind of answer
wanted and any reply-language directive.

The reading is language data plus one general procedure. Names of things
(places, offices, programmes, sections) are found by the gazetteer in any of
the six languages; the words that say *what* is asked ("when", "いつ",
"언제", "เมื่อไหร่", "когда") are cues kept per language in
`nlu/cues/<lang>.yml`, matched with the gazetteer's own rules. Nothing here
knows an example phrase, and nothing here imports Rasa: the Rasa component
(`nlu.components.question_reader`) and the tests call `read_question`.

The result travels in the parse data as a plain dict (`Question.to_dict`),
so the action service reads it without any text processing of its own.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from nlu.gazetteer import Gazetteer, Match, Term
from nlu.languages import LANGUAGES
from nlu.normalize import normalize
from nlu.redaction import find_identifiers

CUES_DIR = Path(__file__).with_name("cues")
CUE_KINDS = ("attributes", "answer_types", "collections", "themes", "directives", "anaphora")
_CUE_ENTITY = {
    "attributes": "attribute", "answer_types": "answer_type", "collections": "collection",
    "themes": "theme", "directives": "directive", "anaphora": "anaphora",
}
SUBJECT_ENTITIES = ("program", "office", "topic", "place", "section", "term", "theme", "collection")
"""Entity types that name what a question is about, strongest first: an
office named in a message about a country is the subject, the country is
then a value ("Is the ASEAN office in Bangkok?"); a programme named with the
office that runs it is the subject ("the ASEAN office's online classes")."""
FIGURE_ENTITY = "metric"
LANGUAGE_ENTITY = "requested_language"
NAME_ENTITIES = SUBJECT_ENTITIES + (FIGURE_ENTITY, LANGUAGE_ENTITY)
"""Entities the gazetteer finds by name; others (the detected `language`, which
spans the whole message) say nothing about what is asked."""
DIRECTIVE_REACH = 24
"""A directive cue and a language name this many characters apart (or
closer) form one directive: "answer in Korean", "한국어로 답해 주세요"."""
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d|25[4-9]\d)(?!\d)")
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,])")
MAX_NUMBER_LENGTH = 6
"""Numbers a question states to check ("11 languages?", "6.66%"); a longer run of digits is
no count the plan states, and may be part of an identifier."""
HAN_LANGUAGES = ("ja", "zh")
BUDDHIST_ERA_OFFSET = 543
"""Thai users write years in the Buddhist era: 2562 is 2019."""


@dataclass(frozen=True)
class Mention:
    """A known thing named in the message: entity type, id and span."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Question:
    """What one message asks, as read from its own words (no memory)."""

    subjects: Tuple[Mention, ...] = ()
    attributes: Tuple[str, ...] = ()
    answer_types: Tuple[str, ...] = ()
    directive: Optional[str] = None
    anaphora: bool = False
    years: Tuple[int, ...] = ()
    numbers: Tuple[str, ...] = ()
    languages: Tuple[str, ...] = ()
    """Language names used as values ("is Korean one of them?"), not directives."""

    @property
    def asks_something(self) -> bool:
        """Whether the message names a subject or asks for an attribute."""
        return bool(self.subjects or self.attributes)

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> "Question":
        """Rebuild from parse data; tolerates missing keys (older models)."""
        if not isinstance(data, dict):
            return cls()
        subjects = tuple(
            Mention(**{k: s[k] for k in ("entity", "value", "start", "end")})
            for s in data.get("subjects") or () if isinstance(s, dict)
        )
        return cls(
            subjects=subjects,
            attributes=tuple(data.get("attributes") or ()),
            answer_types=tuple(data.get("answer_types") or ()),
            directive=data.get("directive"),
            anaphora=bool(data.get("anaphora")),
            years=tuple(int(y) for y in data.get("years") or ()),
            numbers=tuple(str(n) for n in data.get("numbers") or ()),
            languages=tuple(data.get("languages") or ()),
        )


@dataclass
class Cues:
    """The compiled cue gazetteers of each language, one per cue kind, so that
    overlapping cues of different kinds both count ("何言語": how many, and
    languages)."""

    by_language: Dict[str, List[Gazetteer]] = field(default_factory=dict)

    def find(self, text: str, language: str) -> List[Match]:
        """Cues of the message's language and of English (users mix in English
        words); Japanese and Chinese together, since a short Han-only message
        ("何語？") may be either."""
        found: List[Match] = []
        codes = (language, "en") + (HAN_LANGUAGES if language in HAN_LANGUAGES else ())
        for code in dict.fromkeys(codes):
            for gazetteer in self.by_language.get(code, ()):
                found += gazetteer.find(text)
        return found


def cue_terms(document: Dict[str, Any]) -> List[Term]:
    """The cue file of one language as gazetteer terms (entity = cue kind)."""
    terms: List[Term] = []
    for kind in CUE_KINDS:
        section = document.get(kind) or {}
        if isinstance(section, list):
            section = {kind: section}
        for key, phrases in section.items():
            terms += [Term(_CUE_ENTITY[kind], str(key), str(p)) for p in phrases or () if str(p).strip()]
    return terms


@lru_cache(maxsize=1)
def load_cues(directory: Path = CUES_DIR) -> Cues:
    """Read `nlu/cues/<lang>.yml` for every language; a missing or malformed file
    fails with its name, because a silent gap would make one language worse."""
    cues = Cues()
    for language in LANGUAGES:
        path = directory / f"{language}.yml"
        try:
            document = yaml.safe_load(path.read_text("utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ValueError(f"{path}: cannot read the question cues ({error})") from None
        if not isinstance(document, dict) or document.get("language") != language:
            raise ValueError(f"{path}: expected a mapping with 'language: {language}'")
        terms = cue_terms(document)
        cues.by_language[language] = [
            Gazetteer(t for t in terms if t.entity == entity) for entity in dict.fromkeys(_CUE_ENTITY.values())
        ]
    return cues


def _inside(match: Match, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(start <= match.start and match.end <= end for start, end in spans)


def _overlaps(match: Match, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(start < match.end and match.start < end for start, end in spans)


def _years(text: str) -> Tuple[int, ...]:
    years = []
    for found in _YEAR.finditer(text):
        year = int(found.group(1))
        years.append(year - BUDDHIST_ERA_OFFSET if year >= 2500 else year)
    return tuple(dict.fromkeys(years))


def _directive(
    cue_matches: Sequence[Match], languages: Sequence[Mention]
) -> Tuple[Optional[str], List[Tuple[int, int]]]:
    """The language a directive asks for (the name nearest a directive cue),
    and the span that forms it."""
    pairs = [
        (max(name.start - cue.end, cue.start - name.end), name, cue)
        for cue in cue_matches if cue.entity == "directive" for name in languages
    ]
    reachable = [p for p in pairs if p[0] <= DIRECTIVE_REACH]
    if not reachable:
        return None, []
    _, name, cue = min(reachable, key=lambda p: (p[0], -p[1].start))
    return name.value, [(min(cue.start, name.start), max(cue.end, name.end))]


def _numbers(text: str, years: Sequence[int]) -> Tuple[str, ...]:
    """The numbers a question states, without years and without any digit of a personal
    identifier (the parse data is stored with the conversation)."""
    found = [m for m in _NUMBER.finditer(text)
             if len(m.group()) <= MAX_NUMBER_LENGTH and not (m.group().isdigit() and int(m.group()) in years)]
    private = [(i.start, i.end) for i in find_identifiers(text)] if found else []
    return tuple(m.group() for m in found
                 if not any(start < m.end() and m.start() < end for start, end in private))


def _ordered_subjects(mentions: Iterable[Mention]) -> Tuple[Mention, ...]:
    """Subjects by strength of their entity type, then by position; each thing once."""
    rank = {entity: index for index, entity in enumerate(SUBJECT_ENTITIES)}
    chosen: Dict[Tuple[str, str], Mention] = {}
    for mention in sorted(mentions, key=lambda m: (rank[m.entity], m.start)):
        chosen.setdefault((mention.entity, mention.value), mention)
    return tuple(chosen.values())


def read_question(
    text: str,
    language: str,
    entities: Sequence[Dict[str, Any]],
    cues: Optional[Cues] = None,
) -> Question:
    """Read `text` (written in `language`) given the gazetteer's `entities`.

    `entities` are Rasa-style dicts (entity, value, start, end) from the
    gazetteer; cue matches inside or across a name ("Office" in "Seoul
    Office") do not count.
    """
    cues = cues or load_cues()
    known = [
        e for e in entities
        if isinstance(e, dict) and {"entity", "value", "start", "end"} <= set(e) and e["entity"] in NAME_ENTITIES
    ]
    mentions = [Mention(e["entity"], str(e["value"]), int(e["start"]), int(e["end"])) for e in known]
    name_spans = [(m.start, m.end) for m in mentions if m.entity != LANGUAGE_ENTITY]
    # A cue inside or across a name is part of the name (事務所 in ソウル事務所, 所在 in
    # 上海事务所在...), not a word of the question.
    cue_matches = [m for m in cues.find(text, language) if not _overlaps(m, name_spans)]
    language_names = [m for m in mentions if m.entity == LANGUAGE_ENTITY]
    directive, directive_spans = _directive(cue_matches, language_names)
    cue_matches = [m for m in cue_matches if not _inside(m, directive_spans)]

    attributes = [m.value for m in mentions if m.entity == FIGURE_ENTITY]
    attributes += [m.value for m in cue_matches if m.entity == "attribute"]
    sections = [Mention("theme", m.value, m.start, m.end) for m in cue_matches if m.entity == "theme"]
    collections = [Mention("collection", m.value, m.start, m.end) for m in cue_matches if m.entity == "collection"]
    # "answer in Korean" names a reply language, not the place Korea.
    subjects = [m for m in mentions if m.entity in SUBJECT_ENTITIES
                and not _inside(m, directive_spans)] + sections + collections
    values = [m.value for m in language_names if not _inside(m, directive_spans)]
    years = _years(normalize(text))
    numbers = _numbers(normalize(text), years)
    return Question(
        subjects=_ordered_subjects(subjects),
        attributes=tuple(dict.fromkeys(attributes)),
        answer_types=tuple(dict.fromkeys(m.value for m in cue_matches if m.entity == "answer_type")),
        directive=directive,
        anaphora=any(m.entity == "anaphora" for m in cue_matches),
        years=years,
        numbers=numbers,
        languages=tuple(dict.fromkeys(values)),
    )
