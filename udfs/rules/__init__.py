"""The rule kinds a rubric's parts are scored by, one file each, and their registry.

``REGISTRY`` maps a kind's TOML name to its rule (``udfs.rules.base.Rule``); the loader, the
engine, the worksheet-formula compiler, the serialiser, the rubric workbook, the report and
docs/rules.md (``python -m udfs.rules``) iterate it. Adding a kind: a file here with its
``Rule`` subclass, one line below, its tests and docs/rules.md regenerated; nothing else.
"""

from __future__ import annotations

from udfs.rules import all_or_nothing, bands, category, ceiling, deduct, judgement, ratio, steps, veto, yesno
from udfs.rules.base import FINDINGS, INPUT, RATE, Band, Over, Params, Rule

# in the order the rubric workbook's dropdown and docs list them
REGISTRY: dict[str, Rule] = {r.kind: r for r in (
    ratio.RULE, ceiling.RULE, bands.RULE, steps.RULE, yesno.RULE, category.RULE,
    deduct.RULE, all_or_nothing.RULE, veto.RULE, judgement.RULE,
)}
KINDS = tuple(REGISTRY)
RATED = tuple(k for k, r in REGISTRY.items() if r.scored_from == RATE)  # scored from a computed rate
QUANTITATIVE = tuple(k for k, r in REGISTRY.items() if r.scored_from != FINDINGS)  # scored from a value
DEDUCTIVE = tuple(k for k, r in REGISTRY.items() if r.scored_from == FINDINGS)  # scored from 扣分记录 rows

__all__ = ["DEDUCTIVE", "FINDINGS", "INPUT", "KINDS", "QUANTITATIVE", "RATE", "RATED", "REGISTRY",
           "Band", "Over", "Params", "Rule"]
