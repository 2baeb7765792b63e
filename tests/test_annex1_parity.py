"""附件1 three ways (issue 25, "Done when"): the rubric as its text says (tests/support/annex1.py,
written apart from the engine), the engine, and the standard workbook's own formulas
(recalculated headlessly: tests/support/workbook_eval.py) agree on every indicator, section,
total and grade of more than 500 departments — band edges, 超支 by 0.01, third-decimal
deductions, what real departments have, grade edges and random ones.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from tests.support import annex1
from tests.support.annex1_sets import sets
from tests.support.native_cases import Case, engine_scores
from tests.support.workbook_eval import WorkbookFormulas
from udfs.profile import load_profile

SETS = sets(randoms=400)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("annex1") / "标准工作簿.xlsx"
    build_workbook().save(path)
    return path


def _engine(name, raw, findings):
    """What the engine gives (per indicator; sections, total and grade when all score)."""
    return engine_scores(Case(name, raw, findings), load_profile())


def _formulas(workbook, raw, findings):
    profile = load_profile()
    layout = L.Layout(profile)
    cells = {ind.no: (L.CALC, f"{L.col(layout.native_score)}{L.row_of(ind.no)}") for ind in profile.indicators}
    cells |= {key: (L.CALC, f"{L.col(layout.native_score)}{layout.cache_row(key)}") for key in (*layout.sections, "总分", "等级")}
    workbook.load(raw, findings)
    values = workbook.evaluate(list(cells.values()))
    return {key: values[cell] for key, cell in cells.items()}


def _same(rubric, other) -> bool:
    if rubric is None:
        return other in (None, "")
    if isinstance(rubric, str):
        return other == rubric
    return isinstance(other, (int, float, Decimal)) and abs(Decimal(str(other)) - rubric) < Decimal("0.005")


def test_there_are_more_than_500_sets_and_they_cover_what_the_issue_names():
    names = [name for name, _, _ in SETS]
    assert len(SETS) >= 500
    for edge in ("execution 1599.9/2000", "execution 2000.01/2000", "三公 1000/1200, spent 1000.04", "扣分 经济/社会/生态效益— 0.125",
                 "三公 0/0, spent 0", "no 重点工作", "追加预算 blank", "total 80.39−0.39, 严重违纪 是"):
        assert edge in names
    scored = [annex1.score(raw, findings) for _, raw, findings in SETS]
    assert sum(s["总分"] is None for s in scored) >= 3  # some the rubric cannot score (x/0), most it can
    assert len({s["等级"] for s in scored}) == 5  # 优 良 中 差 and None


def test_the_seed_case_by_the_rubric_is_the_seeds_total():
    _, raw, findings = SETS[0]
    result = annex1.score(raw, findings)
    assert (str(result["总分"]), result["等级"]) == ("80.39", "良")  # shaoyang-xinfang-2022-evaluation.txt


def _differences(path, first: int, step: int) -> list[str]:
    """Every ``step``-th set from ``first``: where the engine or the workbook differs from the rubric."""
    workbook = WorkbookFormulas(path)
    out = []
    for name, raw, findings in SETS[first::step]:
        rubric = annex1.score(raw, findings)
        engine = _engine(name, raw, findings)
        cells = _formulas(workbook, raw, findings)
        for key, want in rubric.items():
            if not _same(want, engine.get(key)):
                out.append(f"{name} {key}: rubric {want}, engine {engine.get(key)}")
            if not _same(want, cells.get(key)):
                out.append(f"{name} {key}: rubric {want}, workbook {cells.get(key)!r}")
    return out


def test_the_engine_and_the_workbooks_formulas_score_as_the_rubric_says(template):
    # ~0.4 s a set for the formulas (the `formulas` package's dispatch): both cores
    workers = 2
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_differences, [template] * workers, range(workers), [workers] * workers))
    differences = [d for part in parts for d in part]
    assert differences == [], "\n".join(differences[:40]) + f"\n({len(differences)} in all)"
