"""`make bench` (memory part): what each process holds, model by model.

Each step runs in one fresh process per service, in order, and the table gives the resident
memory (VmRSS) it adds. The order matters (a library shared by two steps is counted at the
first), so the steps follow what the Rasa server loads at start: the frameworks, then the
tokenizers of each language, the language detector, the sentence encoder, the passage index,
the trained model, and one message per language. The action service's step is what its worker
imports. Prints the table and rewrites the memory section of docs/benchmarks.md.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

from tests.bench.report import update_section

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
ACTIONS_PYTHON = ROOT / ".venv-actions" / "bin" / "python"

RASA_STEPS: List[Tuple[str, str]] = [
    ("Python, Rasa core with TensorFlow (which it imports), Sanic", "import rasa.core.agent"),
    ("spaCy (en, ru tokenizers)", "from nlu.tokenization import tokenize; tokenize('hello', 'en'); tokenize('привет', 'ru')"),
    ("Sudachi (Japanese)", "tokenize('こんにちは', 'ja')"),
    ("jieba (Chinese)", "tokenize('你好', 'zh')"),
    ("kiwi (Korean)", "tokenize('안녕하세요', 'ko')"),
    ("pythainlp (Thai)", "tokenize('สวัสดีครับ', 'th')"),
    ("lingua (language detector)", "from nlu.language_detection import detect_language; detect_language('上海事務所')"),
    ("multilingual USE v3 encoder", "from nlu.embedding import load_embedder; load_embedder().encode(['hello'])"),
    ("passage index (build/index)", "from knowledge.search import SearchIndex; SearchIndex.load(load_model=False)"),
    ("trained model (the rest of the pipeline, policies)",
     "from rasa.core.agent import Agent; agent = Agent.load('models/hokkaido.tar.gz')"),
    ("one message per language", "import asyncio; [asyncio.run(agent.parse_message(t)) for t in "
     "('こんにちは', 'hello', '你好', '안녕하세요', 'สวัสดีครับ', 'привет')]"),
]
ACTION_STEPS: List[Tuple[str, str]] = [
    ("Python, rasa-sdk", "import rasa_sdk.executor"),
    ("all actions, the knowledge base, the mentions table",
     "import importlib, pkgutil, actions; [importlib.import_module(f'actions.{m.name}') for m in "
     "pkgutil.iter_modules(actions.__path__)]; from knowledge.mentions import load_mentions; "
     "from knowledge.passages import load_passages; from knowledge.facts import load_facts; "
     "load_mentions(); load_passages(); load_facts()"),
    ("heavy NLU libraries imported (should be none)",
     "import sys; heavy = [m for m in ('tensorflow', 'torch', 'spacy', 'sudachipy', 'jieba', 'kiwipiepy', "
     "'pythainlp', 'lingua') if m in sys.modules]; assert not heavy, heavy"),
]

PROBE = """
import json, sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
scope = {}
out = []
for label, code in json.loads(sys.argv[1]):
    before = rss()
    exec(code, scope)
    out.append([label, rss() - before, rss()])
print(json.dumps(out))
"""


def measure(python: Path, steps: List[Tuple[str, str]]) -> List[Tuple[str, float, float]]:
    """Run the steps in one fresh process; (label, MB added, MB resident after)."""
    run = subprocess.run([str(python), "-c", PROBE, json.dumps(steps)], cwd=ROOT, capture_output=True,
                         text=True, env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
                                         "PATH": "/usr/bin:/bin"}, check=False)
    if run.returncode != 0:
        sys.exit(f"{python}: {run.stderr[-2000:]}")
    return [tuple(row) for row in json.loads(run.stdout.strip().splitlines()[-1])]


def table(title: str, rows: List[Tuple[str, float, float]]) -> str:
    lines = [f"**{title}**", "", "| step | adds | resident after |", "|---|---|---|"]
    lines += [f"| {label} | {added:.0f} MB | {total:.0f} MB |" for label, added, total in rows]
    return "\n".join(lines)


def main() -> None:
    rasa, actions = measure(RASA_PYTHON, RASA_STEPS), measure(ACTIONS_PYTHON, ACTION_STEPS)
    text = (
        "## Memory by model and module (`make bench`)\n\n"
        f"Command: `python -m tests.bench.memory`, {time.strftime('%Y-%m-%d')}. VmRSS of one fresh "
        "process per service after each step, in the order the server loads them.\n\n"
        + table("Rasa server (Python 3.10)", rasa) + "\n\n" + table("Action service worker (Python 3.11)", actions)
    )
    print(text)
    update_section("memory", text)


if __name__ == "__main__":
    main()
