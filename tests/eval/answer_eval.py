"""`make eval-heldout` / `make eval-dev`: correct, honest abstention and wrong,
per language, on conversations written from the plan alone.

    python -m tests.eval.answer_eval --set heldout   # frozen; measures
    python -m tests.eval.answer_eval --set dev       # what we tune on

Starts its own stack on free ports, drives every case of
`tests/eval/<set>/<lang>.yml` through the REST channel with a new sender,
scores each turn (tests/eval/answer_scoring.py) and writes
`docs/eval/answer-<set>.md`: the table per language and every case that was
not correct, with the replies. Exits non-zero when a language misses the
targets of the answer-quality issue (correct >= 90 %, wrong <= 3 %, every
unanswerable turn declined).
"""
from __future__ import annotations

import argparse
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

from bot.launcher import Stack
from nlu.languages import LANGUAGES
from tests.eval.answer_scoring import ABSTAIN, CORRECT, WRONG, score_turn, worst
from tests.support.stack import start_stack

ROOT = Path(__file__).resolve().parents[2]
TARGET_CORRECT, TARGET_WRONG = 0.90, 0.03


@dataclass
class CaseResult:
    id: str
    kind: str
    outcome: str
    log: List[str] = field(default_factory=list)
    unanswerable_turns: int = 0
    unanswerable_declined: int = 0


def run_case(stack: Stack, case: dict, language: str) -> CaseResult:
    sender = f"eval-{case['id']}-{uuid.uuid4().hex[:6]}"
    outcomes, log = [], []
    result = CaseResult(case["id"], case.get("class", ""), CORRECT)
    for turn in case["turns"]:
        try:
            replies = stack.send(sender, turn["user"], turn.get("metadata"))
        except OSError as error:
            replies = [{"text": f"(request failed: {error})"}]
        score = score_turn(turn, replies, language)
        outcomes.append(score.outcome)
        if turn.get("expect") == "abstain":
            result.unanswerable_turns += 1
            result.unanswerable_declined += score.outcome == CORRECT
        reply = " | ".join((r.get("text") or "").replace("\n", " ⏎ ")[:300] for r in replies if r.get("text"))
        log.append(f"  - `{turn['user'][:120]}` → {score.outcome}"
                   + (f" ({'; '.join(score.problems)})" if score.problems else "")
                   + f"\n    reply: {reply}")
    result.outcome, result.log = worst(outcomes), log
    return result


def run_set(stack: Stack, name: str, languages: List[str]) -> Dict[str, List[CaseResult]]:
    results = {}
    for language in languages:
        document = yaml.safe_load((ROOT / "tests" / "eval" / name / f"{language}.yml").read_text("utf-8"))
        results[language] = [run_case(stack, case, language) for case in document["cases"]]
    return results


def report(name: str, results: Dict[str, List[CaseResult]]) -> tuple[str, bool]:
    lines = [f"# Answer quality: {name} set", "",
             f"Command: `python -m tests.eval.answer_eval --set {name}`"
             f"{' (`make eval-heldout`)' if name == 'heldout' else ' (`make eval-dev`)'}.",
             "Scoring: tests/eval/answer_scoring.py. A case takes its worst turn.", "",
             "| language | cases | correct | honest abstention | wrong | unanswerable turns declined |",
             "|---|---|---|---|---|---|"]
    met = True
    totals = {CORRECT: 0, ABSTAIN: 0, WRONG: 0}
    for language, cases in results.items():
        counts = {o: sum(c.outcome == o for c in cases) for o in totals}
        for o in totals:
            totals[o] += counts[o]
        asked = sum(c.unanswerable_turns for c in cases)
        declined = sum(c.unanswerable_declined for c in cases)
        n = len(cases)
        met &= counts[CORRECT] / n >= TARGET_CORRECT and counts[WRONG] / n <= TARGET_WRONG and declined == asked
        lines.append(f"| {language} | {n} | {counts[CORRECT] / n:.1%} | {counts[ABSTAIN] / n:.1%} | "
                     f"{counts[WRONG] / n:.1%} | {declined}/{asked} |")
    n = sum(totals.values())
    lines.append(f"| all | {n} | {totals[CORRECT] / n:.1%} | {totals[ABSTAIN] / n:.1%} | {totals[WRONG] / n:.1%} | |")
    lines += ["", f"Targets (correct ≥ {TARGET_CORRECT:.0%}, wrong ≤ {TARGET_WRONG:.0%}, every unanswerable "
              f"turn declined, in every language): {'met' if met else 'not met'}.", ""]
    for outcome, title in ((WRONG, "Wrong"), (ABSTAIN, "Honest abstentions")):
        lines += [f"## {title}", ""]
        for language, cases in results.items():
            for case in cases:
                if case.outcome == outcome:
                    lines.append(f"- **{case.id}** ({case.kind})")
                    lines += case.log
        lines.append("")
    return "\n".join(lines), met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("heldout", "dev"), default="heldout")
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args()
    with start_stack() as stack:
        results = run_set(stack, args.set, args.languages)
    text, met = report(args.set, results)
    print(text)
    out = ROOT / "docs" / "eval" / f"answer-{args.set}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, "utf-8")
    if not met:
        sys.exit("The answer-quality targets are not met (see the table above).")


if __name__ == "__main__":
    main()
