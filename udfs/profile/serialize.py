"""A Profile back to the table ``parse_profile`` reads: what a rubric workbook is filled
from, what ``preval profile import`` writes as TOML, what a workbook embeds. The round trip
``parse_profile(to_data(p)) == p`` holds for every profile (tests/test_rubric_workbook.py)."""

from __future__ import annotations

from decimal import Decimal

from udfs.profile.model import Options, Part, Profile
from udfs.rules.fields import DATA_ORDER
from udfs.rules.fields import toml_number as _number


def part_data(part: Part) -> dict:
    """A part as its TOML table: its own keys, then its kind's fields, in ``DATA_ORDER``."""
    out: dict = {"id": part.id, "kind": part.kind, "label": part.label}
    if part.points is not None:
        out["points"] = _number(part.points)
    if part.choice:
        out["choice"] = part.choice
    for field in part.rule.fields:
        value = field.data(getattr(part.params, field.name))
        if value is not None:
            out[field.key] = value
    return {key: out[key] for key in sorted(out, key=lambda k: _ORDER.get(k, len(_ORDER)))}  # a new key: last


_ORDER = {key: n for n, key in enumerate(DATA_ORDER)}


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
