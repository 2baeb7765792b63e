"""V402: the department's own figures against what its data supports (seed reports
self-score 98 on figures that give far less)."""

from __future__ import annotations

from udfs.engine import Evaluation
from udfs.inputs import Inputs
from udfs.money import fmt_num

from ..book import Case
from . import Problem, problem


def check_self_report(case: Case, inputs: Inputs, ev: Evaluation) -> list[Problem]:
    claimed = inputs["自评总分"]
    if claimed is None or abs(claimed - ev.total) < 0.01:
        return []
    loc = case.inputs["自评总分"]
    return [problem("V402", loc.sheet, loc.cell, "自评总分",
                    f"自评总分{fmt_num(claimed)}分，按填报数据计算为{fmt_num(ev.total)}分（{ev.grade}），"
                    f"相差{fmt_num(abs(claimed - ev.total))}分", fmt_num(ev.total), fmt_num(claimed))]
