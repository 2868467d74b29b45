"""Mask personal identifiers before a message is stored or logged.

Residents type phone numbers, e-mail addresses, residence card, My Number,
passport and card numbers, postal codes and street addresses into the chat.
NLU sees the message as typed; what is written to the tracker store, the
logs and the handoff summaries goes through `redact` first, which replaces
each identifier with a typed placeholder in the conversation's language
([電話番号], [phone], [телефон]). The recognisers are patterns kept as
language data in `redaction.yml` beside this module, with the Luhn check for
card numbers and Google's libphonenumber (`phonenumbers`) for phones; docs/privacy.md has their measured recall and precision, next
to a maintained library's. Plan figures, years and counts ("11 languages",
"2,136,600") have no identifier's shape and stay.

Pure Python (PyYAML, phonenumbers): both the Rasa process and the action
service import it.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Collection, Dict, Iterable, List, Optional, Tuple

import yaml

_DATA_FILE = Path(__file__).with_name("redaction.yml")
LOG_LANGUAGE = "en"
"""Placeholders in log lines are in English: logs are read by developers."""

# One character for one, so offsets in the folded text are offsets in the text.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: ord(" ")})
_FOLD.update({code: ord("-") for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,
                                          0x2212, 0x30FC, 0xFF70)})


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a text: its kind and where it is."""

    kind: str
    start: int
    end: int


Finder = Callable[[str], Iterable[Tuple[int, int]]]


@dataclass(frozen=True)
class _Recogniser:
    kind: str
    find: Finder
    library: bool = False


def fold_width(text: str) -> str:
    """Full-width forms and dashes as ASCII, keeping every offset."""
    return text.translate(_FOLD)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number satisfies."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _regex_finder(regex: str, check: Callable[[str], bool]) -> Finder:
    pattern = re.compile(regex)
    group = "id" if "id" in pattern.groupindex else 0

    def find(text: str) -> Iterable[Tuple[int, int]]:
        for match in pattern.finditer(text):
            start, end = match.span(group)
            if start < end and check(text[start:end]):
                yield start, end

    return find


_PHONE_LIKE = re.compile(r"(?:[0-9][ \-().+/]{0,3}){8}")
"""Eight digits close together: no phone number has fewer, and most texts
with plan figures (2,136,600) have no such run, so libphonenumber, the
costly part, runs only where a phone number can be."""


def _phone_library_finder(regions: List[str]) -> Finder:
    import phonenumbers

    def find(text: str) -> Iterable[Tuple[int, int]]:
        if not _PHONE_LIKE.search(text):
            return
        for region in regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region):
                yield match.start, match.end

    return find


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _check(spec: Optional[str]) -> Callable[[str], bool]:
    if spec is None:
        return lambda matched: True
    name, *arguments = spec.split()
    if name == "luhn":
        return lambda matched: luhn_valid(_digits(matched))
    if name == "digits":
        low, high = (int(value) for value in arguments)
        return lambda matched: low <= len(_digits(matched)) <= high
    raise ValueError(f"{_DATA_FILE}: unknown check '{spec}' (use 'luhn' or 'digits MIN MAX')")


@lru_cache(maxsize=1)
def _data() -> Dict[str, Any]:
    with _DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _expand(regex: str, data: Dict[str, Any]) -> str:
    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name.startswith("words:"):
            words = data["words"][name.split(":", 1)[1]]
            return "|".join(re.escape(fold_width(word)) for word in words)
        return data["templates"][name]

    return re.sub(r"\{([a-z_]+(?::[a-z_]+)?)\}", replace, regex)


def _finder(entry: Dict[str, Any], data: Dict[str, Any]) -> Finder:
    if entry.get("library") == "phonenumbers":
        return _phone_library_finder(entry["regions"])
    if "regex" in entry:
        return _regex_finder(_expand(entry["regex"], data), _check(entry.get("check")))
    raise ValueError(f"{_DATA_FILE}: a pattern needs `regex` or `library: phonenumbers`: {entry}")


@lru_cache(maxsize=1)
def _recognisers() -> Tuple[_Recogniser, ...]:
    data = _data()
    return tuple(
        _Recogniser(kind, _finder(entry, data), library="library" in entry)
        for kind, entries in data["patterns"].items()
        for entry in entries
    )


def find_identifiers(text: str) -> List[Identifier]:
    """Every identifier in `text`, in order. Where two overlap, the kind
    earlier in the YAML wins, and within a kind the longer match."""
    return _identify(text, _recognisers())


def _identify(text: str, recognisers: Iterable[_Recogniser]) -> List[Identifier]:
    folded = fold_width(text)
    found: List[Identifier] = []
    for recogniser in recognisers:
        spans = sorted(set(recogniser.find(folded)), key=lambda span: (span[0] - span[1], span[0]))
        for start, end in spans:
            if not any(start < other.end and other.start < end for other in found):
                found.append(Identifier(recogniser.kind, start, end))
    return sorted(found, key=lambda identifier: identifier.start)


def placeholder(kind: str, language: str) -> str:
    """The typed placeholder of `kind` in `language` ("ja-easy" reads as "ja")."""
    names = _data()["placeholders"][kind]
    base = language.split("-", 1)[0]
    return f"[{names.get(base, names[LOG_LANGUAGE])}]"


def redact(text: str, language: str = LOG_LANGUAGE) -> str:
    """`text` with each identifier replaced by its placeholder in `language`."""
    if not text or not any(char.isdigit() or char == "@" or char == "＠" for char in text):
        return text  # every identifier has a digit or an @: most messages stop here
    pieces: List[str] = []
    position = 0
    for identifier in find_identifiers(text):
        pieces.append(text[position:identifier.start])
        pieces.append(placeholder(identifier.kind, language))
        position = identifier.end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_data(value: Any, language: str = LOG_LANGUAGE, keep: Collection[str] = ()) -> Any:
    """A copy of a JSON-like value with every string redacted, except the
    values under the keys in `keep` (ids that must stay usable)."""
    if isinstance(value, str):
        return redact(value, language)
    if isinstance(value, dict):
        return {
            key: item if key in keep else redact_data(item, language, keep)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_data(item, language, keep) for item in value]
    return value


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape_json(text: str) -> str:
    """Rasa logs structured events as JSON with \\uXXXX escapes, which would
    hide full-width digits and any non-ASCII context word from the patterns;
    surrogate halves (emoji) stay escaped."""
    def replace(match: "re.Match[str]") -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _JSON_ESCAPE.sub(replace, text)


def install_log_redaction() -> None:
    """Mask identifiers in every log record this process creates, whatever
    the handler, by wrapping the log record factory (a logger's filter would
    miss records propagated from child loggers). Installing twice is harmless.
    """
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is, like logging does
            return record
        record.msg, record.args = redact(_unescape_json(message), LOG_LANGUAGE), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
