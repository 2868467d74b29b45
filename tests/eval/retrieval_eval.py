"""`make eval-retrieval`: recall@1, recall@3 and MRR per language for lexical,
dense and hybrid retrieval on tests/knowledge/dev_questions/<lang>.yml.

Also reports how often the abstain signal fires on answerable questions (it
should not) and on unanswerable ones (it should). Exits non-zero when hybrid
recall@3 is below 0.95 in any language.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict

import yaml

from knowledge.search import SearchIndex
from nlu.languages import LANGUAGES
from tests.bench.report import update_section

QUESTIONS_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "dev_questions"
MODES = ("lexical", "dense", "hybrid")
REQUIRED_RECALL_AT_3 = 0.95


def load_questions(language: str) -> dict:
    return yaml.safe_load((QUESTIONS_DIR / f"{language}.yml").read_text("utf-8"))


def evaluate(index: SearchIndex, language: str) -> Dict[str, Dict[str, float]]:
    data = load_questions(language)
    scores: Dict[str, Dict[str, float]] = {}
    for mode in MODES:
        r1 = r3 = rr = answered = 0.0
        for item in data["questions"]:
            result = index.search(item["q"], language, k=10, mode=mode)
            ranked = [hit.passage_id for hit in result.hits]
            gold = set(item["passages"])
            rank = next((i for i, pid in enumerate(ranked, start=1) if pid in gold), None)
            r1 += rank == 1
            r3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0
            answered += not result.abstain
        count = len(data["questions"])
        abstained = sum(
            index.search(item["q"], language, k=3, mode=mode).abstain
            for item in data.get("unanswerable", [])
        )
        scores[mode] = {
            "questions": count, "recall@1": r1 / count, "recall@3": r3 / count, "mrr": rr / count,
            "answered": answered / count,
            "abstained_unanswerable": abstained / max(1, len(data.get("unanswerable", []))),
        }
    return scores


def render(results: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    lines = [
        "| language | questions | mode | recall@1 | recall@3 | MRR | answerable not abstained | unanswerable abstained |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for language, by_mode in results.items():
        for mode, s in by_mode.items():
            lines.append(
                f"| {language} | {s['questions']:.0f} | {mode} | {s['recall@1']:.3f} | {s['recall@3']:.3f} | "
                f"{s['mrr']:.3f} | {s['answered']:.2f} | {s['abstained_unanswerable']:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    index = SearchIndex.load()
    results = {language: evaluate(index, language) for language in LANGUAGES}
    text = render(results)
    print(text)
    if not args.no_docs:
        update_section(
            "retrieval-dev",
            "## Retrieval on the development questions\n\n"
            "Command: `make eval-retrieval` (development questions in "
            "`tests/knowledge/dev_questions/`, embedder "
            f"`{index.embedder.name}`).\n\n" + text,
        )
    failing = [lang for lang, by_mode in results.items() if by_mode["hybrid"]["recall@3"] < REQUIRED_RECALL_AT_3]
    if failing:
        sys.exit(f"Hybrid recall@3 below {REQUIRED_RECALL_AT_3} for: {', '.join(failing)}")


if __name__ == "__main__":
    main()
