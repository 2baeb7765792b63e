"""Reading generated VBA back: the PREVAL_* wrappers and their argument names."""

from __future__ import annotations

import re

SIGNATURE = re.compile(r"^Function (PREVAL_\w+)\(([^)]*)\)$", re.M)


def wrappers_of(text: str) -> dict[str, list[str]]:
    """{function name: argument names} of every ``Function PREVAL_…(…)`` line."""
    out = {}
    for name, args in SIGNATURE.findall(text):
        out[name] = [a.replace("Optional ", "").strip() for a in args.split(",") if a.strip()]
    return out
