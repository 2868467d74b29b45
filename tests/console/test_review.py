"""Translation review: the patch applies with `git apply`, and the reviewed passage's answers
lose the "machine-assisted, not yet reviewed" note, through the same actions users get."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import knowledge.passages as passages
from actions.texts import text
from console.ask import answer
from console.review import Decision, ReviewError, patch
from tests.support.parse import parse

CENTER = "d2-s1-example-consultation-center"
CENTER_QUESTION = parse("Tell me about the consultation center", "en", "ask_consultation_center")


@pytest.fixture()
def translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of knowledge/translations that the loaders read instead of the real one."""
    copy = tmp_path / "knowledge" / "translations"
    shutil.copytree(passages.TRANSLATIONS_DIR, copy)
    monkeypatch.setattr(passages, "TRANSLATIONS_DIR", copy)
    passages.load_passages.cache_clear()
    yield copy
    passages.load_passages.cache_clear()


def apply(diff: str, root: Path) -> None:
    subprocess.run(["git", "apply", "-"], input=diff, text=True, cwd=root, check=True)


async def test_a_reviewed_passage_answers_without_the_machine_assisted_note(translations: Path) -> None:
    note = text("translated_note", "en")
    before = await answer(CENTER_QUESTION, "en")
    assert note in before.text and not before.citations[0]["translation_reviewed"]

    apply(patch("en", [Decision(CENTER, "en", "reviewed", None, None, "editor")], translations),
          translations.parent.parent)
    passages.load_passages.cache_clear()

    after = await answer(CENTER_QUESTION, "en")
    assert note not in after.text and after.citations[0]["translation_reviewed"]
    others = [p for p in passages.load_passages() if p.id != CENTER]
    assert not any(p.in_language("en").reviewed for p in others), "only that passage"
    still = await answer(CENTER_QUESTION, "th")
    assert not still.citations[0]["translation_reviewed"], "only that language"


def test_a_correction_is_written_as_the_editor_typed_it(translations: Path) -> None:
    corrected = Decision("d1-s2-direction", "zh", "corrected", '方向: "网络"',
                         "加强企业之间的网络\r\n\r\n  加强支援机构的网络  \n", "editor")
    apply(patch("zh", [corrected], translations), translations.parent.parent)
    passages.load_passages.cache_clear()
    rendering = passages.passages_by_id()["d1-s2-direction"].in_language("zh")
    assert rendering.title == '方向: "网络"'
    assert rendering.text == "加强企业之间的网络\n\n  加强支援机构的网络"
    assert rendering.reviewed


def test_the_latest_decision_wins_and_nothing_else_changes(translations: Path) -> None:
    decisions = [Decision("d1-s2-direction", "ru", "corrected", "A", "B", "x"),
                 Decision("d1-s2-direction", "ru", "reviewed", None, None, "y")]
    diff = patch("ru", decisions, translations)
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] \
        == ["+    status: reviewed"]
    assert patch("ru", [], translations) == ""


@pytest.mark.parametrize("decision", [
    Decision("no-such-passage", "en", "reviewed", None, None, "x"),
    Decision("d1-s2-direction", "en", "corrected", "", "text", "x"),
    Decision("d1-s2-direction", "en", "corrected", "title", "   ", "x"),
])
def test_undecidable_decisions_are_refused(translations: Path, decision: Decision) -> None:
    with pytest.raises(ReviewError):
        patch("en", [decision], translations)
