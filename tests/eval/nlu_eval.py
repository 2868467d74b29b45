"""Intent accuracy per language by stratified k-fold cross-validation.

    make eval-nlu                       # the pipeline in config.yml
    python -m tests.eval.nlu_eval --classifier diet   # the DIET variant

Each fold trains the real NLU pipeline from config.yml on the other folds
(stratified by language and intent) and parses the held-out examples with
the loaded model. Prints accuracy per language and writes a Markdown report.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from nlu.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
Example = Tuple[str, str, str]  # language, intent, text


def load_examples() -> List[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples: List[Example] = []
    for language in LANGUAGES:
        data = load_data(str(NLU_DIR / f"{language}.yml"))
        examples.extend((language, m.get("intent"), m.get("text")) for m in data.intent_examples)
    return examples


def folds(examples: List[Example], k: int, seed: int) -> List[List[Example]]:
    """Stratified folds: each (language, intent) group is spread over all k."""
    groups: Dict[Tuple[str, str], List[Example]] = defaultdict(list)
    for example in examples:
        groups[example[:2]].append(example)
    result: List[List[Example]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for key in sorted(groups):
        members = groups[key][:]
        rng.shuffle(members)
        for index, example in enumerate(members):
            result[index % k].append(example)
    return result


def pipeline_config(path: Path, classifier: str) -> dict:
    config = yaml.safe_load(path.read_text("utf-8"))
    config.pop("policies", None)
    if classifier == "diet":
        config["pipeline"] = [
            {"name": "DIETClassifier", "epochs": 100, "entity_recognition": False,
             "constrain_similarities": True, "random_seed": 42}
            if step["name"] == "LogisticRegressionClassifier" else step
            for step in config["pipeline"]
        ]
    return config


def write_nlu(examples: List[Example], path: Path) -> None:
    by_intent: Dict[str, List[str]] = defaultdict(list)
    for _, intent, text in examples:
        by_intent[intent].append(text)
    document = {"version": "3.1", "nlu": [
        {"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
        for intent, texts in sorted(by_intent.items())
    ]}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


Result = Tuple[Example, str, str]  # example, predicted intent, classifier's top intent


def run_fold(train: List[Example], test: List[Example], config: dict, workdir: Path) -> List[Result]:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    config_path, data_path = workdir / "config.yml", workdir / "nlu.yml"
    config_path.write_text(yaml.safe_dump(copy.deepcopy(config), allow_unicode=True), "utf-8")
    write_nlu(train, data_path)
    model = train_nlu(str(config_path), str(data_path), str(workdir / "models"), fixed_model_name="fold")
    agent = Agent.load(model)

    async def parse(text: str) -> Tuple[str, str]:
        parsed = await agent.parse_message(text)
        ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        return parsed["intent"]["name"], (ranking or [parsed["intent"]["name"]])[0]

    async def parse_all() -> List[Tuple[str, str]]:
        return [await parse(text) for _, _, text in test]

    return [(example, *predicted) for example, predicted in zip(test, asyncio.run(parse_all()))]


def report(results: List[Result], classifier: str, k: int, seconds: float) -> str:
    per_language: Dict[str, List[bool]] = defaultdict(list)
    top_only: Dict[str, List[bool]] = defaultdict(list)
    confusions: Dict[str, Dict[Tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for (language, intent, _), predicted, top in results:
        per_language[language].append(predicted == intent)
        top_only[language].append(top == intent)
        if predicted != intent:
            confusions[language][(intent, predicted)] += 1
    lines = [
        f"# NLU evaluation ({classifier}, {k}-fold stratified cross-validation)",
        "",
        "Command: `make eval-nlu` (`python -m tests.eval.nlu_eval`). Every fold trains the",
        "pipeline of `config.yml` on the other folds and parses the held-out examples.",
        f"Total time: {seconds:.0f} s on this machine (2 cores).",
        "",
        "Intent accuracy counts a FallbackClassifier verdict (nlu_fallback) as wrong;",
        "the classifier's top-1 column ignores the fallback threshold.",
        "",
        "| language | examples | intent accuracy | classifier top-1 | most frequent confusions |",
        "|---|---|---|---|---|",
    ]
    for language in LANGUAGES:
        hits = per_language[language]
        top = sorted(confusions[language].items(), key=lambda kv: -kv[1])[:3]
        confused = ", ".join(f"{a}→{b} ({n})" for (a, b), n in top) or "-"
        lines.append(
            f"| {language} | {len(hits)} | {statistics.mean(hits):.3f} | "
            f"{statistics.mean(top_only[language]):.3f} | {confused} |"
        )
    overall = statistics.mean(hit for hits in per_language.values() for hit in hits)
    lines += ["", f"Overall accuracy: {overall:.3f}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--classifier", choices=["config", "diet"], default="config")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown report here")
    parser.add_argument("--errors", action="store_true", help="also print every misclassified example")
    args = parser.parse_args()
    started = time.perf_counter()
    # A private training cache, so evaluations can run beside `make model`.
    os.environ["RASA_CACHE_DIRECTORY"] = tempfile.mkdtemp(prefix="nlu-eval-cache-")
    examples = load_examples()
    splits = folds(examples, args.folds, args.seed)
    config = pipeline_config(args.config, args.classifier)
    results: List[Result] = []
    for index, test in enumerate(splits):
        train = [e for j, split in enumerate(splits) if j != index for e in split]
        with tempfile.TemporaryDirectory() as workdir:
            results += run_fold(train, test, config, Path(workdir))
        print(f"fold {index + 1}/{args.folds} done", flush=True)
    name = "LogisticRegressionClassifier" if args.classifier == "config" else "DIETClassifier"
    text = report(results, name, args.folds, time.perf_counter() - started)
    print(text)
    if args.errors:
        for (language, intent, example), predicted, _ in results:
            if predicted != intent:
                print(f"{language}\t{intent} -> {predicted}\t{example}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, "utf-8")
    worst = min(
        statistics.mean(p == e[1] for e, p, _ in results if e[0] == language) for language in LANGUAGES
    )
    if worst < 0.90:
        raise SystemExit(f"A language is below 90% intent accuracy ({worst:.3f}).")


if __name__ == "__main__":
    main()
