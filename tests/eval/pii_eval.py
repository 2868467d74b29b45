"""Recall and precision of identifier masking on the PII test set
(tests/nlu/pii/<lang>.yml), for our recognisers (nlu/redaction.py) and for
Microsoft Presidio's pattern recognisers, side by side.

    make eval-pii        # writes docs/pii-evaluation.md

An identifier counts as caught when every character of it is inside a
masked span ("covered"); the lenient figure counts any overlap. Precision is
the share of masked spans that overlap an annotated identifier, over both
halves of the set, so a masked year or plan figure in a look-alike message
lowers it.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlu.languages import LANGUAGES  # noqa: E402
from nlu import redaction  # noqa: E402
from nlu.redaction import find_identifiers  # noqa: E402

SET_DIR = ROOT / "tests" / "nlu" / "pii"
HELD_OUT_DIR = SET_DIR / "heldout"
Span = Tuple[int, int]
Detector = Callable[[str], List[Span]]


@dataclass
class Score:
    identifiers: int = 0
    covered: int = 0
    overlapped: int = 0
    spans: int = 0
    true_spans: int = 0
    look_alikes: int = 0
    look_alikes_touched: int = 0
    misses: List[str] = field(default_factory=list)
    false_alarms: List[str] = field(default_factory=list)

    def __add__(self, other: "Score") -> "Score":
        combined = Score()
        combined.add(self)
        combined.add(other)
        return combined

    def add(self, other: "Score") -> None:
        for name in ("identifiers", "covered", "overlapped", "spans", "true_spans",
                     "look_alikes", "look_alikes_touched"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.false_alarms += other.false_alarms

    @property
    def recall(self) -> float:
        return self.covered / self.identifiers if self.identifiers else 1.0

    @property
    def lenient_recall(self) -> float:
        return self.overlapped / self.identifiers if self.identifiers else 1.0

    @property
    def precision(self) -> float:
        return self.true_spans / self.spans if self.spans else 1.0


def load_set(language: str, directory: Path = SET_DIR) -> dict:
    with (directory / f"{language}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def annotated_spans(text: str, pii: Iterable[Sequence[str]]) -> List[Span]:
    """Where each annotated identifier occurs in `text` (every occurrence)."""
    spans = []
    for _, value in pii:
        start = text.find(value)
        if start < 0:
            raise ValueError(f"'{value}' is not in: {text}")
        while start >= 0:
            spans.append((start, start + len(value)))
            start = text.find(value, start + 1)
    return spans


def _covered(span: Span, masked: List[Span]) -> bool:
    return all(any(s <= i < e for s, e in masked) for i in range(*span))


def _overlaps(span: Span, other: Span) -> bool:
    return span[0] < other[1] and other[0] < span[1]


def score(language: str, detect: Detector, directory: Path = SET_DIR,
          kind: Optional[str] = None) -> Score:
    """`detect` on one language's set; with `kind`, recall on that kind only."""
    data = load_set(language, directory)
    result = Score()
    for item in data["identifiers"]:
        text = item["text"]
        truth = annotated_spans(text, item["pii"])
        masked = detect(text)
        counted = annotated_spans(text, [p for p in item["pii"] if kind in (None, p[0])])
        result.identifiers += len(counted)
        for span in counted:
            if _covered(span, masked):
                result.covered += 1
            else:
                result.misses.append(f"{text[span[0]:span[1]]}  ←  {text}")
            result.overlapped += any(_overlaps(span, m) for m in masked)
        result.spans += len(masked)
        result.true_spans += sum(any(_overlaps(m, t) for t in truth) for m in masked)
        result.false_alarms += [
            f"{text[m[0]:m[1]]}  ←  {text}" for m in masked
            if not any(_overlaps(m, t) for t in truth)
        ]
    for text in data["look_alikes"]:
        masked = detect(text)
        result.look_alikes += 1
        result.look_alikes_touched += bool(masked)
        result.spans += len(masked)
        result.false_alarms += [f"{text[s:e]}  ←  {text}" for s, e in masked]
    return result


def ours(text: str) -> List[Span]:
    return [(found.start, found.end) for found in find_identifiers(text)]


def patterns_only(text: str) -> List[Span]:
    """Our regexes without libphonenumber: the figures behind adopting it."""
    regexes = [r for r in redaction._recognisers() if not r.library]
    return [(found.start, found.end) for found in redaction._identify(text, regexes)]


def presidio_detector() -> Detector:
    """Presidio's recognisers for the kinds we mask, run without an NLP model
    (none can be downloaded here): e-mail, phone (libphonenumber, with the
    regions our residents' numbers come from), credit card (Luhn), and the
    passport recognisers it has. It has none for residence cards, My Number,
    Japanese postal codes or addresses."""
    import tldextract
    from presidio_analyzer import predefined_recognizers as recognizers

    offline = tldextract.TLDExtract(suffix_list_urls=())  # its bundled list, no download
    tldextract.extract = offline
    chosen = [
        recognizers.EmailRecognizer(),
        recognizers.PhoneRecognizer(
            supported_regions=("JP", "US", "GB", "CN", "KR", "TH", "RU", "VN", "PH")),
        recognizers.CreditCardRecognizer(),
        recognizers.UsPassportRecognizer(),
        recognizers.UkPassportRecognizer(),
        recognizers.KrPassportRecognizer(),
        recognizers.PhPassportRecognizer(),
        recognizers.InPassportRecognizer(),
    ]

    def detect(text: str) -> List[Span]:
        spans: List[Span] = []
        for recognizer in chosen:
            for result in recognizer.analyze(text, recognizer.supported_entities, None) or []:
                span = (result.start, result.end)
                if not any(_overlaps(span, other) for other in spans):
                    spans.append(span)
        return sorted(spans)

    return detect


KINDS = ("phone", "email", "residence_card", "my_number", "passport", "card", "postal_code",
         "address")
SETS = {"test set": SET_DIR, "held-out set": HELD_OUT_DIR}


def total(detect: Detector, directory: Path, kind: Optional[str] = None) -> Score:
    """One score over all languages of a set."""
    result = Score()
    for language in LANGUAGES:
        result.add(score(language, detect, directory, kind))
    return result


def report(detectors: Dict[str, Detector]) -> str:
    lines = [
        "# PII masking: recall and precision",
        "",
        "Generated by `make eval-pii` (tests/eval/pii_eval.py). Test set: `tests/nlu/pii/`,",
        "per language messages carrying identifiers and look-alikes that must stay; the",
        "held-out set (`tests/nlu/pii/heldout/`) was written after the recognisers were",
        "frozen. Recall: identifiers masked whole (lenient: at least partly). Precision:",
        "masked spans that are identifiers. Look-alikes touched: messages with nothing",
        "to mask in which something was masked.",
    ]
    details: List[str] = []
    for set_name, directory in SETS.items():
        lines += ["", f"## {set_name}", "",
                  "| recognisers | language | identifiers | recall | lenient recall | precision "
                  "| look-alikes touched |", "|---|---|---|---|---|---|---|"]
        for name, detect in detectors.items():
            for language in LANGUAGES:
                lines.append(_row(name, language, score(language, detect, directory)))
            overall = total(detect, directory)
            lines.append(_row(name, "**all**", overall))
            details += ["", f"### {name}, {set_name}: missed", ""]
            details += [f"- {m}" for m in overall.misses or ["none"]]
            details += ["", f"### {name}, {set_name}: masked but not an identifier", ""]
            details += [f"- {m}" for m in overall.false_alarms or ["none"]]
    lines += ["", "## Recall by kind (both sets, all languages)", "",
              "| kind | " + " | ".join(detectors) + " |", "|---|" + "---|" * len(detectors)]
    for kind in KINDS:
        cells = []
        for detect in detectors.values():
            caught = sum((total(detect, d, kind) for d in SETS.values()), Score())
            cells.append(f"{caught.recall:.3f} ({caught.covered}/{caught.identifiers})")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines + ["", "## Details"] + details) + "\n"


def _row(name: str, language: str, result: Score) -> str:
    return (f"| {name} | {language} | {result.identifiers} | {result.recall:.3f} | "
            f"{result.lenient_recall:.3f} | {result.precision:.3f} | "
            f"{result.look_alikes_touched}/{result.look_alikes} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pii-evaluation.md")
    args = parser.parse_args()
    text = report({
        "ours: patterns + libphonenumber (adopted)": ours,
        "our patterns alone": patterns_only,
        "Presidio pattern recognisers": presidio_detector(),
    })
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
