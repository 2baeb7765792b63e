"""A Profile back to the table ``parse_profile`` reads: what a rubric workbook is filled
from, what ``preval profile import`` writes as TOML, what a workbook embeds. The round trip
``parse_profile(to_data(p)) == p`` holds for every profile (tests/test_rubric_workbook.py)."""

from __future__ import annotations

from decimal import Decimal

from udfs.profile.model import Band, Options, Over, Part, Profile


def _number(value: Decimal) -> int | float:
    """A TOML number: 2 stays 2, 0.01 stays 0.01 (the loader reads it back through str)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _over(over: Over, with_start: bool) -> dict:
    out: dict = {"step": _number(over.step), "deduct": _number(over.deduct)}
    if with_start:
        out["from"] = _number(over.start)
    return out


def _band(band: Band) -> dict:
    out: dict = {"points": _number(band.points), "label": band.label}
    if band.min is not None:
        out["min"], out["min_incl"] = _number(band.min), band.min_incl
    if band.max is not None:
        out["max"], out["max_incl"] = _number(band.max), band.max_incl
    return out


def part_data(part: Part) -> dict:
    out: dict = {"id": part.id, "kind": part.kind, "label": part.label}
    if part.points is not None:
        out["points"] = _number(part.points)
    for key in ("rate", "input", "both_zero", "zero_base", "choice"):
        if getattr(part, key):
            out[key] = getattr(part, key)
    if part.per_case is not None:
        out["per_case"] = _number(part.per_case)
    if part.steps:
        out["steps"] = [_number(s) for s in part.steps]
    if part.over is not None:
        out["over"] = _over(part.over, part.kind == "steps")
    if part.under is not None:
        out["under"] = _over(part.under, True)
    if part.full_at is not None:
        out["full_at"] = _number(part.full_at)
    if part.bands:
        out["bands"] = [_band(b) for b in part.bands]
    if part.map:
        out["map"] = {k: _number(v) for k, v in part.map.items()}
    if part.synonyms:
        out["synonyms"] = dict(part.synonyms)
    return out


def options_data(options: Options) -> dict:
    out: dict = {}
    for name in Options.__dataclass_fields__:
        value = getattr(options, name)
        out[name] = _number(value) if isinstance(value, Decimal) else list(value) if isinstance(value, tuple) else value
    return out


def to_data(profile: Profile) -> dict:
    """The whole rubric as one self-contained table (no ``extends``)."""
    indicators = []
    for ind in profile.indicators:
        row: dict = {"no": ind.no, "level1": ind.level1, "level2": ind.level2, "name": ind.name,
                     "weight": _number(ind.weight), "parts": [part_data(p) for p in ind.parts]}
        for key in ("explain", "standard", "evidence"):
            if getattr(ind, key):
                row[key] = getattr(ind, key)
        if ind.aliases:
            row["aliases"] = list(ind.aliases)
        if ind.shared_cap:
            row["shared_cap"] = True
        if ind.zero_if:
            row["zero_if"] = [{"rate": c.rate, "above": _number(c.above), "label": c.label} for c in ind.zero_if]
        indicators.append(row)
    head = {"name": profile.name, "title": profile.title, "source": profile.source}
    return {"profile": head, "options": options_data(profile.options),
            "grade": [{"min": _number(low), "grade": name} for low, name in profile.grades],
            "indicator": indicators, "advice": dict(profile.advice)}


def canonical_text(profile: Profile) -> str:
    """The rubric as one JSON text, the same for the same rubric on every machine: what a
    workbook embeds and what its digest is taken of."""
    import json

    # keys in the rubric's own order, not sorted: the order of a category's points is the
    # order its formula tests them in, and the embedded copy must compile to the same formulas
    return json.dumps(to_data(profile), ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
