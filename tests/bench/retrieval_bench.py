"""`make bench-retrieval`: the embedders and the hybrid search on public sets.

Reads ../shared/eval-data (never copied into the project):
- Tatoeba bitext (jpn, cmn, kor, tha, rus ↔ eng): nearest-neighbour accuracy,
  mean of both directions, for each embedder, next to LaBSE's published figures;
- XQuAD-R (en, zh, ru, th): question → answer sentence, and JSQuAD (ja):
  question → paragraph, for lexical, dense and hybrid retrieval, using the
  same SearchIndex class as the assistant;
- this project's index: build time and query latency p50/p95.
Writes the figures to docs/benchmarks.md. A benchmark, not a test: without
../shared it says so and exits 0.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import yaml

from knowledge.build import build
from knowledge.search import Document, SearchIndex
from nlu.embedding import Embedder, load_embedder, minilm_path
from tests.bench.report import update_section

EVAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "eval-data"
LABSE = {"jpn": 0.965, "cmn": 0.963, "kor": 0.929, "tha": 0.971, "rus": 0.953}
QUESTIONS_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "dev_questions"


def tatoeba_accuracy(embedder: Embedder, code: str) -> float:
    folder = EVAL_DATA / "tatoeba-laser"
    source = (folder / f"tatoeba.{code}-eng.{code}").read_text("utf-8").splitlines()
    english = (folder / f"tatoeba.{code}-eng.eng").read_text("utf-8").splitlines()
    a, b = embedder.encode(source), embedder.encode(english)
    similarity = a @ b.T
    gold = np.arange(len(source))
    forward = np.mean(similarity.argmax(axis=1) == gold)
    backward = np.mean(similarity.argmax(axis=0) == gold)
    return float((forward + backward) / 2)


def xquad_items(language: str) -> Tuple[List[str], List[Tuple[str, int]]]:
    """Candidate sentences, and (question, index of its answer sentence)."""
    data = json.loads((EVAL_DATA / "xquad-r" / f"{language}.json").read_text("utf-8"))
    sentences: List[str] = []
    questions: List[Tuple[str, int]] = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            offset = len(sentences)
            sentences.extend(paragraph["sentences"])
            breaks = paragraph["sentence_breaks"]
            for qa in paragraph["qas"]:
                start = qa["answers"][0]["answer_start"]
                index = next(i for i, (s, e) in enumerate(breaks) if s <= start < e)
                questions.append((qa["question"], offset + index))
    return sentences, questions


def jsquad_items(limit: int) -> Tuple[List[str], List[Tuple[str, int]]]:
    data = json.loads((EVAL_DATA / "jsquad" / "valid-v1.3.json").read_text("utf-8"))
    paragraphs: List[str] = []
    questions: List[Tuple[str, int]] = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            paragraphs.append(paragraph["context"].split(" [SEP] ", 1)[-1])
            questions.extend((qa["question"], len(paragraphs) - 1) for qa in paragraph["qas"])
    return paragraphs, questions[:limit]


def retrieval_scores(embedder: Embedder, language: str, docs: List[str],
                     questions: List[Tuple[str, int]]) -> Dict[str, Dict[str, float]]:
    documents = [Document(str(i), language, text) for i, text in enumerate(docs)]
    index = SearchIndex(documents, documents, embedder.encode(docs), embedder)
    scores: Dict[str, Dict[str, float]] = {}
    for mode in ("lexical", "dense", "hybrid"):
        r1 = r5 = rr = 0.0
        for question, gold in questions:
            ranked = [int(h.passage_id) for h in index.search(question, language, k=10, mode=mode).hits]
            rank = ranked.index(gold) + 1 if gold in ranked else None
            r1 += rank == 1
            r5 += rank is not None and rank <= 5
            rr += 1 / rank if rank else 0
        n = len(questions)
        scores[mode] = {"recall@1": r1 / n, "recall@5": r5 / n, "mrr@10": rr / n}
    return scores


def project_latency() -> Tuple[float, int, float, float]:
    """Index build seconds, embedded chunks, and search p50/p95 in ms over the
    development questions."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        chunks = len(build(Path(out))["chunks"])
        build_s = time.perf_counter() - started
        index = SearchIndex.load(Path(out))
    queries = [
        (item["q"], path.stem)
        for path in sorted(QUESTIONS_DIR.glob("*.yml"))
        for item in yaml.safe_load(path.read_text("utf-8"))["questions"]
    ]
    times = []
    for query, language in queries:
        started = time.perf_counter()
        index.search(query, language)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return build_s, chunks, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsquad-questions", type=int, default=1000)
    args = parser.parse_args()
    build_s, chunks, p50, p95 = project_latency()
    latency = (f"Index build: {build_s:.1f} s ({chunks} embedded chunks). "
               f"Hybrid query latency over the development questions: p50 {p50:.1f} ms, p95 {p95:.1f} ms.")
    print(latency)
    update_section(
        "retrieval-latency", "## Index build and query latency\n\nCommand: `make bench-retrieval`.\n\n" + latency
    )
    if not EVAL_DATA.exists():
        print(f"{EVAL_DATA} not found: public-set benchmarks skipped.")
        return
    embedders = {
        "USE multilingual v3": load_embedder(),
        "all-MiniLM-L6-v2 (sentence-transformers, English-only)":
            load_embedder(f"sentence-transformers:{minilm_path()}"),
    }
    lines = ["| pair | " + " | ".join(embedders) + " | LaBSE (published) |",
             "|---|" + "---|" * (len(embedders) + 1)]
    for code, labse in LABSE.items():
        accuracies = [f"{tatoeba_accuracy(e, code):.3f}" for e in embedders.values()]
        lines.append(f"| {code}-eng | " + " | ".join(accuracies) + f" | {labse} |")
    tatoeba = "\n".join(lines)
    print(tatoeba)
    use = embedders["USE multilingual v3"]
    rows = ["| set | language | mode | recall@1 | recall@5 | MRR@10 |", "|---|---|---|---|---|---|"]
    sets = [("XQuAD-R", lang, *xquad_items(lang)) for lang in ("en", "zh", "ru", "th")]
    sets.append(("JSQuAD", "ja", *jsquad_items(args.jsquad_questions)))
    for name, language, docs, questions in sets:
        for mode, s in retrieval_scores(use, language, docs, questions).items():
            rows.append(f"| {name} ({len(questions)} q, {len(docs)} docs) | {language} | {mode} | "
                        f"{s['recall@1']:.3f} | {s['recall@5']:.3f} | {s['mrr@10']:.3f} |")
    retrieval = "\n".join(rows)
    print(retrieval)
    update_section(
        "retrieval-public",
        "## Embedders and retrieval on public sets\n\n"
        "Command: `make bench-retrieval` (data in ../shared/eval-data, not copied).\n\n"
        "Tatoeba bitext accuracy (nearest neighbour, mean of both directions):\n\n" + tatoeba +
        "\n\nQuestion-to-sentence (XQuAD-R) and question-to-paragraph (JSQuAD) retrieval with the "
        "multilingual USE embedder and each language's tokenizer for BM25:\n\n" + retrieval,
    )


if __name__ == "__main__":
    main()
