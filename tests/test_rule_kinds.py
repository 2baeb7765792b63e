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


def _engine_words(part, value):
    """The engine's words for the value (what a basis line says after the rate)."""
    rule = part.rule
    try:
        if rule.scored_from == RATE:
            if value == NOT_APPLICABLE or str(value).startswith(DIV0):
                scored = rule.special(part, BOTH_ZERO if value == NOT_APPLICABLE else ZERO_BASE, OPTIONS)
                return UNSCORABLE if scored is None else scored[1]
            return rule.score(part, quantize(D(str(value)), OPTIONS.rate_places), OPTIONS)[1]
        return rule.score(part, value, OPTIONS)[1]
    except EngineError:
        return UNSCORABLE


def _formula_words(part, value):
    """The kind's words formula with its value cell (A1) holding ``value``: a rate is read as
    live_notes reads it (rounded to the places; 无 and #DIV/0! by the special words)."""
    rule = part.rule
    x = f"ROUND(A1,{OPTIONS.rate_places})" if rule.scored_from == RATE else "A1"
    text = rule.words_formula(part, x, OPTIONS)
    if rule.scored_from == RATE:
        both, base = (rule.special_words_formula(part, w, OPTIONS) or "NA()" for w in (BOTH_ZERO, ZERO_BASE))
        text = f'IF(ISNUMBER(A1),{text},IF(A1="{NOT_APPLICABLE}",{both},IF(LEFT(A1,{len(DIV0)})="{DIV0}",{base},NA())))'
    with spreadsheet_functions(add_in=False):
        func = formulas.Parser().ast(f"={text}")[1].compile()
        cell = sh.EMPTY if value is None else float(value) if isinstance(value, D) else value
        result = _cell_values(func(cell))
    return result if isinstance(result, str) and not result.startswith("#") else UNSCORABLE


@pytest.mark.parametrize("kind", [k for k, r in REGISTRY.items() if r.scored_from != FINDINGS])
def test_the_words_formula_says_what_the_engine_says_at_every_edge(kind):
    # the 评分说明's live 计算过程 (issue 30): character for character, at the same edges as the points
    rule = REGISTRY[kind]
    compared = 0
    for params, _, _ in rule.examples:
        for extra in ({}, {"both_zero": "as_zero", "zero_base": "full"}, {"both_zero": "zero"}) if rule.scored_from == RATE else ({},):
            part = _part_of(kind, params | extra)
            values = list(rule.edges(part)) + ([NOT_APPLICABLE, f"{DIV0} 分母为0，无法计算"] if rule.scored_from == RATE else [])
            for value in values:
                engine, formula = _engine_words(part, value), _formula_words(part, value)
                assert engine == formula, (kind, params, extra, value, engine, formula)
                compared += engine != UNSCORABLE
    assert compared >= 10


def test_the_words_of_the_seed_report_come_from_the_formula():
    # 附件2 of seed 003 (shaoyang-xinfang-2022-evaluation.txt): 重点支出安排率 76.96% "得分=76.96%×2=1.54";
    # 在职人员控制率 "≤100%，计2分"; 101.5% of 2 points, 1% steps of 0.2: one step (the Ceiling doc block)
    ratio = _part_of("ratio", {"rate": "keyspend", "points": 2, "over": {"step": 0.05, "deduct": 0.5}})
    assert _formula_words(ratio, D("0.7696")) == "得分=76.96%×2=1.54"
    assert _formula_words(ratio, D("1.1")) == "超出100%，每超出5%扣0.5分，超出10.00%扣1分"
    ceiling = _part_of("ceiling", {"rate": "staff", "points": 2, "over": {"step": 0.01, "deduct": 0.2}})
    assert _formula_words(ceiling, D("0.8529")) == "≤100%，计2分"
    assert _formula_words(ceiling, D("1.015")) == "超出100%，每超出1%扣0.2分，超出1.50%扣0.2分"
    assert _formula_words(ceiling, D("1.15")) == "超出100%，每超出1%扣0.2分，超出15.00%应扣3分，扣完为止，实扣2分"
    assert _formula_words(ceiling, D("1.005")) == "超出100%，每超出1%扣0.2分，不足1%不扣分"


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
