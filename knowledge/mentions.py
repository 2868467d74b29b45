"""Which known things each passage names, as found when the index was built.

`knowledge.build` runs the gazetteer over every passage's Japanese original
and writes `build/index/mentions.json`. The action service reads that table
to check that a passage it is about to use names the subject asked about,
without any text processing of its own.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Dict, FrozenSet

from knowledge.facts import INDEX_DIR

MENTIONS_FILE = INDEX_DIR / "mentions.json"


@lru_cache(maxsize=1)
def load_mentions() -> Dict[str, FrozenSet[str]]:
    """Passage id -> ids of the things it names."""
    if not MENTIONS_FILE.exists():
        raise FileNotFoundError(f"{MENTIONS_FILE} is missing: run `make index`.")
    table = json.loads(MENTIONS_FILE.read_text("utf-8"))
    return {passage_id: frozenset(values) for passage_id, values in table.items()}
