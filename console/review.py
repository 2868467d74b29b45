"""Translation review: editors' decisions, and the patch of knowledge/translations/<lang>.yml.

An editor marks a passage's translation as reviewed, or corrects its title and text. Decisions
are kept in the console's table; the repository is never written by the web process. The
editor downloads a unified diff for one language, applies it with `git apply` and commits it.
The patch gives each decided passage `status: reviewed` (knowledge/passages.py then treats that
translation as reviewed, so after `make index` its answers no longer carry the "machine-assisted,
not yet reviewed" note) and, for a correction, the new title and text.

The edit is made on the lines of the file, not by re-dumping the YAML, so the diff touches only
the decided passages and keeps every comment and quote style. The result is parsed again and
checked before a patch is offered.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from console.database import now, reviews
from knowledge.passages import TRANSLATIONS_DIR

ENTRY_INDENT, KEY_INDENT, TEXT_INDENT = "  ", "    ", "      "
REVIEWED = "reviewed"
MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000


class ReviewError(ValueError):
    """A decision cannot be turned into a valid translation file."""


@dataclass(frozen=True)
class Decision:
    passage_id: str
    language: str
    decision: str  # reviewed | corrected
    title: Optional[str]
    text: Optional[str]
    editor: str


def translation_file(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / f"{language}.yml"


def clean_text(text: str) -> str:
    """Line ends normalised, trailing spaces and surrounding blank lines removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n").lstrip()


def _entry_bounds(lines: List[str], passage_id: str) -> range:
    """The line numbers of one passage's entry (its `  <id>:` line to the next entry)."""
    heading = f"{ENTRY_INDENT}{passage_id}:\n"
    if heading not in lines:
        raise ReviewError(f"no passage {passage_id!r} in the translation file")
    start = lines.index(heading)
    end = start + 1
    while end < len(lines) and (lines[end].startswith(KEY_INDENT) or not lines[end].strip()):
        end += 1
    return range(start, end)


def _key_bounds(lines: List[str], entry: range, key: str) -> Optional[range]:
    """The lines of `key:` inside an entry, with a block scalar's continuation lines."""
    for number in entry:
        if lines[number].startswith(f"{KEY_INDENT}{key}:"):
            end = number + 1
            while end < entry.stop and (lines[end].startswith(TEXT_INDENT) or not lines[end].strip()):
                end += 1
            while end - 1 > number and not lines[end - 1].strip():
                end -= 1  # blank lines before the next entry belong to no key
            return range(number, end)
    return None


def apply_decision(content: str, decision: Decision) -> str:
    """The file `content` with one decision applied."""
    lines = content.splitlines(keepends=True)
    entry = _entry_bounds(lines, decision.passage_id)
    if decision.decision == "corrected":
        title, text = clean_text(decision.title or ""), clean_text(decision.text or "")
        if not title or not text:
            raise ReviewError("a correction needs a title and a text")
        block = [f"{KEY_INDENT}text: |\n"] + [
            f"{TEXT_INDENT}{line}\n" if line else "\n" for line in text.split("\n")]
        text_lines = _key_bounds(lines, entry, "text")
        title_lines = _key_bounds(lines, entry, "title")
        if text_lines is None or title_lines is None:
            raise ReviewError(f"{decision.passage_id} has no title or text to correct")
        lines[text_lines.start:text_lines.stop] = block
        lines[title_lines.start:title_lines.stop] = [
            f"{KEY_INDENT}title: {json.dumps(title, ensure_ascii=False)}\n"]
        entry = _entry_bounds(lines, decision.passage_id)
    status = _key_bounds(lines, entry, "status")
    status_line = f"{KEY_INDENT}status: {REVIEWED}\n"
    if status is None:
        lines.insert(entry.start + 1, status_line)
    else:
        lines[status.start:status.stop] = [status_line]
    return "".join(lines)


def check(content: str, decisions: List[Decision]) -> None:
    """The patched file parses and says what the decisions say."""
    try:
        passages = yaml.safe_load(content)["passages"]
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise ReviewError(f"the patched file is not valid: {error}") from error
    for decision in decisions:
        entry = passages.get(decision.passage_id) or {}
        if entry.get("status") != REVIEWED:
            raise ReviewError(f"{decision.passage_id}: status not written")
        if decision.decision == "corrected" and (
            entry.get("title") != clean_text(decision.title or "")
            or entry.get("text", "").strip() != clean_text(decision.text or "")
        ):
            raise ReviewError(f"{decision.passage_id}: the correction did not survive YAML")


def patch(language: str, decisions: List[Decision], directory: Path = TRANSLATIONS_DIR) -> str:
    """A unified diff (for `git apply`) of the language's file with the decisions applied."""
    path = translation_file(language, directory)
    original = path.read_text("utf-8")
    latest: Dict[str, Decision] = {d.passage_id: d for d in decisions if d.language == language}
    patched = original
    for decision in latest.values():
        patched = apply_decision(patched, decision)
    check(patched, list(latest.values()))
    name = f"knowledge/translations/{language}.yml"
    return "".join(difflib.unified_diff(
        original.splitlines(keepends=True), patched.splitlines(keepends=True),
        fromfile=f"a/{name}", tofile=f"b/{name}"))


class ReviewLog:
    """The editors' decisions, in the console's table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, decision: Decision) -> None:
        if decision.decision == "corrected":
            if not (decision.title or "").strip() or not (decision.text or "").strip():
                raise ReviewError("a correction needs a title and a text")
            if len(decision.title or "") > MAX_TITLE_LENGTH or len(decision.text or "") > MAX_TEXT_LENGTH:
                raise ReviewError("the correction is too long")
        # Refuse now, not at download time, what cannot be written to the file.
        patch(decision.language, self.decisions(decision.language) + [decision])
        with self.engine.begin() as db:
            db.execute(insert(reviews).values(
                passage_id=decision.passage_id, language=decision.language,
                decision=decision.decision, title=decision.title, text=decision.text,
                editor=decision.editor, decided_at=now()))

    def decisions(self, language: str) -> List[Decision]:
        query = select(reviews).where(reviews.c.language == language).order_by(reviews.c.id)
        with self.engine.connect() as db:
            return [Decision(r.passage_id, r.language, r.decision, r.title, r.text, r.editor)
                    for r in db.execute(query)]
