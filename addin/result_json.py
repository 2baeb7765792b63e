"""An Evaluation as the ``score --json`` contract object (design.md, "Contract")."""

from __future__ import annotations

from decimal import Decimal

from udfs.engine import Evaluation


def _num(value: Decimal | None, places: str = "0.01") -> float | None:
    return None if value is None else float(value.quantize(Decimal(places)))


def evaluation_to_dict(ev: Evaluation, findings: list | None = None) -> dict:
    """Rates as fractions (4 decimals = 0.01%), scores as numbers with 2 decimals."""
    return {
        "unit": ev.unit,
        "year": ev.year,
        "profile": ev.profile,
        "indicators": [
            {"no": r.no, "level1": r.level1, "level2": r.level2, "name": r.name,
             "weight": _num(r.weight), "rate": _num(r.rate, "0.0001"), "score": _num(r.score),
             "basis": r.basis}
            for r in ev.indicators
        ],
        "sections": {k: _num(v) for k, v in ev.sections.items()},
        "total": _num(ev.total),
        "grade": ev.grade,
        "findings": list(findings or []),
        # 扣分记录 rows that were applied (an addition to the contract, not a change)
        "deductions": [
            {"indicator": f.indicator, "subitem": f.subitem, "points": _num(f.points),
             "reason": f.reason, "evidence": f.evidence, "row": f.row}
            for f in ev.findings
        ],
    }
