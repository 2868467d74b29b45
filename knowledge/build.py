"""Build the search index from the knowledge data: `python -m knowledge.build`.

Validates every knowledge file first (a malformed file stops the build with
its name, the entry and the problem), then writes `build/index/`: the BM25
documents with their terms, the embedded chunks of every rendering of every
passage (see `index_entries`), the links from facts to passages, which
passages mention which known things (`mentions`), and the settings of
knowledge/search.yml. The output depends only on the data and
the embedder, so two builds produce identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from knowledge.facts import KNOWLEDGE_DIR, NAME_ONLY_KINDS, KnowledgeError, gazetteer_terms, load_facts, read_yaml
from knowledge.mentions import MENTIONS_FILE
from knowledge.passages import load_passages, passages_by_id
from knowledge.search import INDEX_DIR, Document, index_terms
from knowledge.units import split_unit
from nlu.embedding import load_embedder
from nlu.gazetteer import Gazetteer, Term
from nlu.languages import ANSWER_LANGUAGES

SETTINGS_FILE = KNOWLEDGE_DIR / "search.yml"
SEARCH_QUESTIONS_DIR = KNOWLEDGE_DIR / "search_questions"
CHUNK_CHARS = 240
"""Lines of a passage are grouped into chunks of about this many characters."""
LINKED_ENTITIES = ("place", "office", "program", "term", "topic")
"""Entity types whose names link a query to their facts' passages."""


def search_questions() -> Dict[Tuple[str, str], List[str]]:
    """(passage id, language) -> questions that passage answers.

    Retrieval aids (doc2query): written per language from the passages, never
    shown to users. They widen BM25's vocabulary and give the embedder
    question-shaped text to match questions against.
    """
    known = passages_by_id()
    found: Dict[Tuple[str, str], List[str]] = {}
    for path in sorted(SEARCH_QUESTIONS_DIR.glob("*.yml")):
        document = read_yaml(path)
        language = document.get("language") if isinstance(document, dict) else None
        if language not in ANSWER_LANGUAGES:
            raise KnowledgeError(path, "language", f"must be one of {', '.join(ANSWER_LANGUAGES)}")
        for passage_id, questions in (document.get("questions") or {}).items():
            if passage_id not in known:
                raise KnowledgeError(path, f"questions.{passage_id}", "no passage with this id")
            if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
                raise KnowledgeError(path, f"questions.{passage_id}", "must be a list of questions")
            found[(passage_id, language)] = [q.strip() for q in questions]
    return found


def _line_groups(text: str) -> List[str]:
    """The passage's lines, grouped into pieces of about CHUNK_CHARS."""
    groups: List[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if groups and len(groups[-1]) + len(line) < CHUNK_CHARS:
            groups[-1] += "\n" + line
        else:
            groups.append(line)
    return groups


def linked_gazetteer() -> Gazetteer:
    """The names of the things a query or a passage can name, all languages."""
    return Gazetteer(Term(*row) for row in gazetteer_terms() if row[0] in LINKED_ENTITIES)


def mentions(gazetteer: Gazetteer) -> Dict[str, List[str]]:
    """Passage id -> ids of the known things its Japanese original names."""
    found: Dict[str, List[str]] = {}
    for passage in load_passages():
        original = passage.original
        text = "\n".join([original.title, *original.section, original.text])
        found[passage.id] = sorted({match.value for match in gazetteer.find(text)})
    return found


def index_entries(
    named: Dict[str, List[str]] | None = None, gazetteer: Gazetteer | None = None,
) -> Tuple[List[Document], List[Document]]:
    """What BM25 and the embedder see, for every rendering of every passage.

    BM25 gets one document per rendering: title, section path, text, the
    search questions in that language, and every name (in all six languages)
    of the things the passage mentions, so a question that names a thing in
    any language meets the passages about it. The embedder gets chunks: the
    whole rendering, its heading alone (for questions about the plan's
    structure), its lines in groups under the title (so a question about one
    line of a long passage is not drowned by the rest), and each search
    question.
    """
    questions = search_questions()
    named = named or {}
    names_of: Dict[str, List[str]] = {}
    for term in (gazetteer.terms if gazetteer else ()):
        names_of.setdefault(term.value, []).append(term.name)
    documents: List[Document] = []
    chunks: List[Document] = []
    for passage in load_passages():
        aliases = [name for value in named.get(passage.id, []) for name in names_of.get(value, [])]
        for language, r in passage.renderings.items():
            asked = questions.get((passage.id, language), [])
            heading = f"{r.title}\n{' > '.join(r.section)}"
            text = "\n".join([heading, r.text, *asked, *aliases])
            documents.append(Document(passage.id, language, text, tuple(index_terms(text, language))))
            groups = _line_groups(r.text)
            pieces = [f"{heading}\n{r.text}", heading]
            pieces += [f"{r.title}\n{g}" for g in groups] if len(groups) > 1 else []
            chunks += [Document(passage.id, language, piece) for piece in pieces + asked]
    return documents, chunks


def links() -> Dict[str, List[str]]:
    """Fact id -> the passages it comes from (its source, then see_also)."""
    found: Dict[str, List[str]] = {}
    for fact in load_facts():
        passages = [fact.data.get("source"), *(fact.data.get("see_also") or [])]
        found.setdefault(fact.id, [])
        found[fact.id] += [p for p in passages if p and p not in found[fact.id]]
    return found


def _inverted(named: Dict[str, List[str]]) -> Dict[str, List[str]]:
    """Thing id -> the passages that mention it, or the place the plan writes it
    under (Bangkok: passages naming タイ too), in plan order."""
    inverted: Dict[str, List[str]] = {}
    for passage_id, values in named.items():
        for value in values:
            inverted.setdefault(value, []).append(passage_id)
    for fact in load_facts():
        within = fact.data.get("within")
        if within:
            inverted[fact.id] = list(dict.fromkeys(inverted.get(fact.id, []) + inverted.get(within, [])))
    return inverted


def check_fact_sources() -> None:
    """Every fact must cite a passage that exists, and every figure's unit
    must be one the answers can render."""
    known = passages_by_id()
    for fact in load_facts():
        if fact.kind in NAME_ONLY_KINDS:
            continue
        for kind, figure in (fact.data.get("figures") or {}).items():
            try:
                split_unit(str(figure.get("unit")))
            except ValueError as error:
                raise KnowledgeError(fact.path, f"{fact.kind} {fact.id} figures.{kind}", str(error)) from None
        source = fact.data.get("source")
        if source not in known:
            raise KnowledgeError(fact.path, f"{fact.kind} {fact.id}", f"unknown source passage {source!r}")


def write_mentions(out: Path = INDEX_DIR, gazetteer: Gazetteer | None = None) -> Dict[str, List[str]]:
    """Write the mentions table: all the action service reads from the index, so its image
    builds only this (`--mentions-only`), with no encoder."""
    named = mentions(gazetteer or linked_gazetteer())
    out.mkdir(parents=True, exist_ok=True)
    (out / MENTIONS_FILE.name).write_text(json.dumps(named, ensure_ascii=False, sort_keys=True), "utf-8")
    return named


def build(out: Path = INDEX_DIR, embedder_spec: str = "") -> dict:
    """Write the index to `out`; return its manifest."""
    settings = read_yaml(SETTINGS_FILE)
    spec = embedder_spec or settings["embedder"]
    check_fact_sources()
    gazetteer = linked_gazetteer()
    named = write_mentions(out, gazetteer)
    docs, pieces = index_entries(named, gazetteer)
    embedder = load_embedder(spec)
    vectors = np.round(embedder.encode([c.text for c in pieces]), 6).astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "embeddings.npy", vectors)
    manifest = {
        "embedder": embedder.name,
        "thresholds": settings["thresholds"],
        "links": links(),
        "names": gazetteer.to_dict(),
        "mentions": named,
        "mentioned_in": _inverted(named),
        "documents": [{**d.__dict__, "terms": list(d.terms or ())} for d in docs],
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
    parser.add_argument("--mentions-only", action="store_true",
                        help="write only mentions.json (the action service's image)")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        if args.mentions_only:
            check_fact_sources()
            named = write_mentions(args.out)
            print(f"Mentions of {len(named)} passages -> {args.out / MENTIONS_FILE.name}")
            return
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
