"""V3xx: the 扣分记录 rows — a known indicator and sub-item, an amount within the cap, a
reason; amounts that differ from the rubric's are accepted and flagged (design.md)."""

from __future__ import annotations

from decimal import Decimal

from addin.case import Case
from addin.checks import Problem, problem, shown
from addin.workbook import layout as L
from udfs.errors import NotANumber, TextNumber
from udfs.inputs import Finding
from udfs.money import ZERO, cell_number, fmt_num
from udfs.profile import WHOLE, Indicator, Part, Profile


def _cap(ind: Indicator, part: Part | None) -> Decimal:
    if part is None or ind.shared_cap or part.points is None:
        return ind.weight
    return part.points


def check_findings(case: Case, profile: Profile) -> tuple[list[Problem], list[Finding]]:
    problems: list[Problem] = []
    findings: list[Finding] = []
    sums: dict[tuple[int, str], Decimal] = {}
    for row, values in case.findings:
        indicator, subitem, points, reason, evidence = (tuple(values) + (None,) * 5)[:5]

        def at(column: str, row: int = row) -> tuple[str, str, str]:
            return L.FINDINGS, f"{L.col(L.FINDINGS_COLUMNS[column])}{row}", column

        ind = profile.indicator(str(indicator).strip()) if indicator not in (None, "") else None
        if ind is None:
            problems.append(problem("V301", *at("指标"), f"第{row}行的指标“{shown(indicator)}”不在指标体系中",
                                    "三级指标名称", indicator))
            continue
        try:
            amount = cell_number(points)
        except TextNumber:
            problems.append(problem("V303", *at("扣分"), f"第{row}行（{ind.name}）的扣分是文本格式的数字（“{points}”），"
                                    "工作簿公式不计入，请转换为数字", "分数", points))
            continue
        except NotANumber:
            amount = None
        if amount is None or amount < 0:
            problems.append(problem("V303", *at("扣分"), f"第{row}行（{ind.name}）的扣分应为不小于0的数字", "分数", points))
            continue
        finding = Finding.make(ind.name, subitem, amount, reason, evidence, row=row)
        part = ind.chosen(finding.subitem)
        if not ind.deductible(finding.subitem):
            problems.append(problem("V302", *at("子项"), f"第{row}行：{ind.name}没有可扣分的子项“{finding.subitem}”",
                                    f"{ind.deductible_ids}或{WHOLE}", subitem))
            continue
        # exactly as the dropdown spells it: the workbook's SUMIFS matches no other spelling
        # (a trailing space, an NBSP, an alias), so neither may the engine
        if indicator != ind.name:
            problems.append(problem("V308", *at("指标"), f"第{row}行的指标写作“{indicator}”，请从下拉列表选择“{ind.name}”",
                                    ind.name, indicator))
        if subitem not in (None, "") and subitem != finding.subitem:
            problems.append(problem("V308", *at("子项"), f"第{row}行的子项写作“{subitem}”，请从下拉列表选择“{finding.subitem}”",
                                    finding.subitem, subitem))
        cap = _cap(ind, part)
        # one row past the cap is scored as several rows adding past it are: 扣完为止 (a veto
        # zeroes the indicator whatever the amount)
        over_cap = amount > cap and not (part is not None and part.rule.vetoes)
        if over_cap:
            problems.append(problem("V304", *at("扣分"), f"第{row}行：{ind.name}{finding.subitem if part else ''}"
                                    f"最多{fmt_num(cap)}分，本行扣{fmt_num(amount)}分，按扣完为止计（扣{fmt_num(cap)}分）",
                                    f"不超过{fmt_num(cap)}", points))
        if not finding.reason:
            problems.append(problem("V305", *at("事由"), f"第{row}行（{ind.name}扣{fmt_num(amount)}分）没有写事由",
                                    "扣分事由", reason))
        if part is not None and not part.rule.vetoes and not over_cap:  # V304 said it already
            rubric = part.rule.differs(part, amount)
            if rubric:
                problems.append(problem("V306", *at("扣分"),
                                        f"第{row}行（{ind.name}{finding.subitem}）：评分标准为{rubric}，"
                                        f"本行扣{fmt_num(amount)}分（按填写的扣分计算）",
                                        rubric, points))
        key = (ind.no, part.id if part else WHOLE)
        total = sums.get(key, ZERO)
        sums[key] = total + amount
        if total <= cap < total + amount and not over_cap:  # the row that takes the sum past the cap
            problems.append(problem("V307", *at("扣分"), f"{ind.name}{finding.subitem if part else ''}扣分合计"
                                    f"{fmt_num(total + amount)}分，超过分值{fmt_num(cap)}分，按扣完为止计",
                                    f"不超过{fmt_num(cap)}", fmt_num(total + amount)))
        findings.append(finding)
    if case.findings_beyond:
        rows = case.findings_beyond
        listed = "、".join(map(str, rows[:5])) + ("等" if len(rows) > 5 else "")
        problems.append(problem("V309", L.FINDINGS, f"A{rows[0]}", "扣分记录",
                                f"扣分记录第{listed}行（共{len(rows)}行）在第{L.FINDINGS_FIRST}–{L.FINDINGS_LAST}行之外，"
                                "不计入任何得分，请移到前面的空行", f"第{L.FINDINGS_FIRST}–{L.FINDINGS_LAST}行",
                                f"第{rows[0]}行"))
    return problems, findings
