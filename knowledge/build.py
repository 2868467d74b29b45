"""Build the search index from the knowledge data: `python -m knowledge.build`.

Validates every knowledge file first (a malformed file stops the build with
its name, the entry and the problem), then embeds every rendering of every
passage and writes `build/index/`. The output depends only on the data and
the embedder, so two builds produce identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import List

import numpy as np

from knowledge.facts import KNOWLEDGE_DIR, KnowledgeError, load_facts, read_yaml
from knowledge.passages import load_passages, passages_by_id
from knowledge.search import INDEX_DIR, Document
from nlu.embedding import load_embedder

SETTINGS_FILE = KNOWLEDGE_DIR / "search.yml"


CHUNK_CHARS = 240
"""Lines of a passage are grouped into chunks of about this many characters."""


def documents() -> List[Document]:
    """Every rendering of every passage, in plan order then language order."""
    return [
        Document(passage.id, language, f"{r.title}\n{' > '.join(r.section)}\n{r.text}")
        for passage in load_passages()
        for language, r in passage.renderings.items()
    ]


def chunks(document: Document) -> List[Document]:
    """The whole rendering, its heading alone (section path and title, for
    questions about the plan's structure), then its lines grouped up to
    CHUNK_CHARS, each under the passage's title so a chunk keeps its context."""
    title, section, body = document.text.split("\n", 2)
    groups: List[str] = []
    for line in (l.strip() for l in body.splitlines()):
        if not line:
            continue
        if groups and len(groups[-1]) + len(line) < CHUNK_CHARS:
            groups[-1] += "\n" + line
        else:
            groups.append(line)
    pieces = [document.text, f"{section}\n{title}"]
    pieces += [f"{title}\n{g}" for g in groups] if len(groups) > 1 else []
    return [Document(document.passage_id, document.language, piece) for piece in pieces]


def check_fact_sources() -> None:
    """Every fact must cite a passage that exists."""
    known = passages_by_id()
    for fact in load_facts():
        source = fact.data.get("source")
        if source not in known:
            raise KnowledgeError(fact.path, f"{fact.kind} {fact.id}", f"unknown source passage {source!r}")


def build(out: Path = INDEX_DIR, embedder_spec: str = "") -> dict:
    """Write the index to `out`; return its manifest."""
    settings = read_yaml(SETTINGS_FILE)
    spec = embedder_spec or settings["embedder"]
    check_fact_sources()
    docs = documents()
    pieces = [chunk for document in docs for chunk in chunks(document)]
    embedder = load_embedder(spec)
    vectors = np.round(embedder.encode([c.text for c in pieces]), 6).astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "embeddings.npy", vectors)
    manifest = {
        "embedder": embedder.name,
        "thresholds": settings.get("thresholds", {}),
        "documents": [d.__dict__ for d in docs],
        "chunks": [c.__dict__ for c in pieces],
        "embeddings_sha256": hashlib.sha256(vectors.tobytes()).hexdigest(),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=INDEX_DIR)
    parser.add_argument("--embedder", default="", help="override knowledge/search.yml")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        manifest = build(args.out, args.embedder)
    except KnowledgeError as error:
        sys.exit(f"Knowledge data error: {error}")
    seconds = time.perf_counter() - started
    print(
        f"Index: {len(manifest['documents'])} renderings of "
        f"{len({d['passage_id'] for d in manifest['documents']})} passages in "
        f"{len(manifest['chunks'])} chunks, "
        f"embedder {manifest['embedder']}, built in {seconds:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
