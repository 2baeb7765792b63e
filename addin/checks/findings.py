"""V3xx: the 扣分记录 rows — a known indicator and sub-item, an amount within the cap, a
reason; amounts that differ from the rubric's are accepted and flagged (design.md)."""

from __future__ import annotations

from addin.case import Case
from addin.catalogue import finding_rows
from addin.checks import Problem, problem
from addin.workbook import layout as L
from udfs.inputs import Finding
from udfs.money import fmt_num
from udfs.profile import WHOLE, Profile


# what each check expected, for 校验结果's 应为 column
def _expected(check_id: str, r: finding_rows.Row) -> str:
    if check_id == "V301":
        return "三级指标名称"
    assert r.ind is not None
    at_most = f"不超过{fmt_num(r.cap) if r.deductible else ''}"
    return {"V303": "分数", "V302": f"{r.ind.deductible_ids}或{WHOLE}", "V304": at_most, "V305": "扣分事由",
            "V306": r.rubric, "V307": at_most, "V308": r.ind.name}[check_id]


def check_findings(case: Case, profile: Profile) -> tuple[list[Problem], list[Finding]]:
    """V301–V308 on every filled row (the reading and words are addin.catalogue.finding_rows',
    which the 扣分记录 sheet's 实时校验 column states as formulas), V309 on rows past the last."""
    problems: list[Problem] = []
    findings: list[Finding] = []
    for r, before in finding_rows.walk(profile, case.findings):
        row, values = r.row, r.values
        for check_id, column, message in finding_rows.said(r, before):
            typed = values[L.FINDINGS_COLUMNS[column] - 1] if len(values) >= L.FINDINGS_COLUMNS[column] else None
            found = fmt_num(before + r.amount) if check_id == "V307" else typed
            problems.append(problem(check_id, L.FINDINGS, f"{L.col(L.FINDINGS_COLUMNS[column])}{row}", column, message,
                                    _expected(check_id, r), found))
        if finding_rows.key(r) is None:
            continue
        reason, evidence = (tuple(values) + (None,) * 5)[3:5]
        findings.append(Finding.make(r.ind.name, r.subitem, r.amount, reason, evidence, row=row))  # type: ignore[union-attr]
    if case.findings_beyond:
        rows = case.findings_beyond
        listed = "、".join(map(str, rows[:5])) + ("等" if len(rows) > 5 else "")
        problems.append(problem("V309", L.FINDINGS, f"A{rows[0]}", "扣分记录",
                                f"扣分记录第{listed}行（共{len(rows)}行）在第{L.FINDINGS_FIRST}–{L.FINDINGS_LAST}行之外，"
                                "不计入任何得分，请移到前面的空行", f"第{L.FINDINGS_FIRST}–{L.FINDINGS_LAST}行",
                                f"第{rows[0]}行"))
    return problems, findings
