"""Every registered rule kind (udfs.rules.REGISTRY), from its own file: its doc block's
examples score what the rubric text says, in the engine and in its worksheet formula, and
the formula gives what the engine gives at the edges of the kind's parameters, for the
values a rate has no number for (0/0, x/0) and for text a rule cannot score.

The examples' points are the rubric's (each rule file quotes the wording); this test does
not compute them.
"""

from __future__ import annotations

from decimal import Decimal as D

import formulas
import pytest
import schedula as sh

from addin.rubric import columns as C
from tests.support.recalc import _cell_values, spreadsheet_functions
from udfs.errors import EngineError
from udfs.money import quantize
from udfs.options import Options
from udfs.profile.loading import _part
from udfs.profile.serialize import part_data
from udfs.rules import KINDS, REGISTRY
from udfs.rules.base import FINDINGS, RATE
from udfs.rules.formula import DIV0, NOT_APPLICABLE
from udfs.rules.rated import BOTH_ZERO, ZERO_BASE

OPTIONS = Options()
UNSCORABLE = "cannot be scored"


def _part_of(kind: str, params: dict):
    return _part({"id": "①", "kind": kind, "label": "子项", **params}, OPTIONS, f"test {kind}")


def _examples():
    return [pytest.param(rule.kind, params, value, points, id=f"{rule.kind}-{n}")
            for rule in REGISTRY.values() for n, (params, value, points) in enumerate(rule.examples)]


def _engine(part, value):
    """The engine's points for the value (a rate as a cell shows it: rounded to the places)."""
    rule = part.rule
    try:
        if rule.scored_from == RATE:
            if value == NOT_APPLICABLE or str(value).startswith(DIV0):
                scored = rule.special(part, BOTH_ZERO if value == NOT_APPLICABLE else ZERO_BASE, OPTIONS)
                return UNSCORABLE if scored is None else scored[0]
            return rule.score(part, quantize(D(str(value)), OPTIONS.rate_places), OPTIONS)[0]
        if rule.scored_from == FINDINGS:
            return rule.score(part, D(str(value)), OPTIONS)[0]
        return rule.score(part, value, OPTIONS)[0]
    except EngineError:
        return UNSCORABLE


def _formula(part, value):
    """The kind's worksheet formula with its value cell (A1) holding ``value``."""
    with spreadsheet_functions(add_in=False):
        if part.rule.scored_from == FINDINGS:
            text = part.rule.formula(part, "A1", OPTIONS)
        else:
            text = part.rule.cell_formula(part, "A1", OPTIONS)
        func = formulas.Parser().ast(f"={text}")[1].compile()
        cell = sh.EMPTY if value is None else float(value) if isinstance(value, D) else value
        result = _cell_values(func(cell))
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return D(str(round(result, 10))).normalize()
    return UNSCORABLE  # #N/A: the workbook shows an empty cell, as the engine stops


def _same(engine, formula) -> bool:
    return engine == formula if engine == UNSCORABLE or formula == UNSCORABLE else D(engine) == D(formula)


def test_the_registry_names_every_kind_once_and_each_states_itself():
    assert KINDS == tuple(REGISTRY) and len(set(C.KIND_NAMES.values())) == len(KINDS)
    for rule in REGISTRY.values():
        assert rule.doc and "Example" in rule.doc, rule.kind  # what it does, the rubric's words, an example
        assert rule.examples, rule.kind
        keys = [f.key for f in rule.fields]
        assert len(set(keys)) == len(keys), rule.kind
        for field in rule.fields:  # the rubric workbook has a column for everything a kind reads
            assert set(field.columns) <= set(C.COLUMN), (rule.kind, field.key)


@pytest.mark.parametrize("kind,params,value,points", _examples())
def test_each_kinds_examples_score_the_rubrics_points_in_the_engine_and_the_formula(kind, params, value, points):
    part = _part_of(kind, params)
    typed = D(value) if part.rule.scored_from != "input" else value
    assert _engine(part, typed) == D(points)
    assert _formula(part, typed if part.rule.scored_from == "input" else D(value)) == D(points)


@pytest.mark.parametrize("kind", KINDS)
def test_the_formula_gives_what_the_engine_gives_at_every_edge(kind):
    rule = REGISTRY[kind]
    compared = 0
    for params, _, _ in rule.examples:
        part = _part_of(kind, params)
        for value in rule.edges(part):
            engine, formula = _engine(part, value), _formula(part, value)
            assert _same(engine, formula), (kind, params, value, engine, formula)
            compared += 1
    assert compared >= 10


@pytest.mark.parametrize("kind", [k for k, r in REGISTRY.items() if r.scored_from == RATE])
@pytest.mark.parametrize("both_zero,zero_base", [("", ""), ("full", "zero"), ("zero", "full"), ("as_zero", "")])
def test_a_rate_without_a_number_scores_as_the_rubric_says_in_both(kind, both_zero, zero_base):
    params = dict(REGISTRY[kind].examples[0][0])
    params |= {k: v for k, v in (("both_zero", both_zero), ("zero_base", zero_base)) if v}
    part = _part_of(kind, params)
    for shown in (NOT_APPLICABLE, f"{DIV0} 分母为0，无法计算"):
        engine, formula = _engine(part, shown), _formula(part, shown)
        assert _same(engine, formula), (kind, params, shown, engine, formula)
    full = part.full
    assert _engine(part, NOT_APPLICABLE) == {"full": full, "zero": 0, "": UNSCORABLE}.get(both_zero, _engine(part, D(0)))
    assert _engine(part, f"{DIV0} x") == {"full": full, "zero": 0}.get(zero_base, UNSCORABLE)


@pytest.mark.parametrize("kind", KINDS)
def test_a_kinds_parameters_round_trip_through_its_toml(kind):
    for params, _, _ in REGISTRY[kind].examples:
        part = _part_of(kind, params)
        data = part_data(part)
        assert _part(data, OPTIONS, "again") == part
        assert set(data) - {"id", "kind", "label", "points", "choice"} <= {f.key for f in part.rule.fields}


def test_a_key_of_another_kind_is_named_with_the_kinds_that_read_it():
    from udfs.errors import ProfileError

    with pytest.raises(ProfileError, match=r"bands（分档）只用于 bands 规则"):
        _part_of("ratio", {"rate": "exec", "points": 1, "bands": [{"points": 1}]})
    with pytest.raises(ProfileError, match=r"per_case（每例扣分）只用于 deduct 规则"):
        _part_of("judgement", {"points": 1, "per_case": 0.5})
    with pytest.raises(ProfileError, match="per_case: 不能为负数"):
        _part_of("deduct", {"points": 1, "per_case": -0.5})


def test_docs_rules_md_is_generated_from_the_rule_files():
    from pathlib import Path

    from udfs.rules.__main__ import markdown

    doc = Path(__file__).parent.parent / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == markdown(), "run: python -m udfs.rules > docs/rules.md"
