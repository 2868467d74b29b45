"""The units the plan writes figures in, and the check that each is known.

A unit is an optional Japanese count prefix (万 10^4, 億 10^8, 兆 10^12) and a
base (ドル, 円, 人, %, 路線): 125,580億ドル. `actions.numbers` renders them in
every answer language; `knowledge.build` checks every figure's unit with
`split_unit`, so an unknown unit stops the build, not a conversation.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Dict, Tuple

PREFIXES: Dict[str, Decimal] = {"万": Decimal(10) ** 4, "億": Decimal(10) ** 8, "兆": Decimal(10) ** 12}
BASES = ("ドル", "円", "人", "%", "路線")


def split_unit(unit: str) -> Tuple[str, str]:
    """(prefix or "", base) of a plan unit: "億ドル" -> ("億", "ドル")."""
    prefix = unit[:1] if unit[:1] in PREFIXES else ""
    base = unit[len(prefix):]
    if base not in BASES:
        raise ValueError(
            f"unknown unit {unit!r}: expected an optional prefix ({''.join(PREFIXES)}) "
            f"and one of {', '.join(BASES)}"
        )
    return prefix, base
