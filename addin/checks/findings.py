"""V3xx: the 扣分记录 rows — a known indicator and sub-item, an amount within the cap, a
reason; amounts that differ from the rubric's are accepted and flagged (design.md)."""

from __future__ import annotations

from decimal import Decimal

from addin.case import Case
from addin.catalogue import finding_rows
from addin.checks import Problem, problem
from addin.workbook import layout as L
from udfs.inputs import Finding
from udfs.money import ZERO, fmt_num
from udfs.profile import WHOLE, Profile


# what each check expected, for 校验结果's 应为 column
def _expected(check_id: str, r: finding_rows.Row) -> str:
    if check_id == "V301":
        return "三级指标名称"
    assert r.ind is not None
    return {"V303": "分数", "V302": f"{r.ind.deductible_ids}或{WHOLE}", "V304": f"不超过{fmt_num(r.cap) if r.deductible else ''}",
            "V305": "扣分事由", "V306": r.rubric, "V307": f"不超过{fmt_num(r.cap) if r.deductible else ''}",
            "V308": r.ind.name}[check_id]


def check_findings(case: Case, profile: Profile) -> tuple[list[Problem], list[Finding]]:
    """V301–V308 on every filled row (the reading and words are addin.catalogue.finding_rows',
    which the 扣分记录 sheet's 实时校验 column states as formulas), V309 on rows past the last."""
    problems: list[Problem] = []
    findings: list[Finding] = []
    sums: dict[tuple[int, str], Decimal] = {}
    for row, values in case.findings:
        r = finding_rows.read_row(profile, row, values)
        key = finding_rows.key(r)
        before = sums.get(key, ZERO) if key else ZERO
        fired = finding_rows.said(r, before)
        for check_id, column, message in fired:
            typed = values[L.FINDINGS_COLUMNS[column] - 1] if len(values) >= L.FINDINGS_COLUMNS[column] else None
            expected = _expected(check_id, r)
            found = fmt_num(before + r.amount) if check_id == "V307" else typed
            problems.append(problem(check_id, L.FINDINGS, f"{L.col(L.FINDINGS_COLUMNS[column])}{row}", column, message,
                                    expected, found))
        if key is None:
            continue
        sums[key] = before + r.amount
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
