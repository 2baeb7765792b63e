"""The check catalogue and the checks that make a case safe to score.

Each check has an id, a severity (错误 blocks scoring, 提示 does not), a title and one line
of documentation; a ``Problem`` is one check firing on one cell, with a Chinese message
stating what was expected and what was found. Checks read values, never change them.

Ids: V1xx one input cell, V2xx arithmetic between inputs, V3xx 扣分记录 rows,
V4xx self-reported figures. (Issue 5 extends the catalogue; ids are never reused.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from udfs.contract import BY_NAME, CHOICE, COUNT, MONEY, NAMES, RATE, TEXT, YEAR
from udfs.inputs import Finding, InputError, Inputs, convert
from udfs.money import NotANumber, to_decimal
from udfs.profile import WHOLE, Profile

from . import layout as L
from .book import Case

ERROR, HINT = "错误", "提示"


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    doc: str


CATALOGUE: dict[str, Check] = {c.id: c for c in (
    Check("V101", ERROR, "必填项为空", "每个黄色输入单元格都要填写；没有的金额或数量填 0。"),
    Check("V102", ERROR, "不是数字", "金额、人数、任务数、比率须为数字；粘贴进来的文本（如“1,234.5万元”）不能计算。"),
    Check("V103", ERROR, "输入单元格含公式", "输入单元格应填写数值本身；公式可能引用了别处，计算结果无法核对。"),
    Check("V104", ERROR, "负数", "金额、人数和任务数不能为负数；追减预算请填正数。"),
    Check("V105", ERROR, "不在下拉选项中", "是/否、工作质量等级、整改情况须从下拉列表中选择。"),
    Check("V106", ERROR, "年度不是四位年份", "评价年度填写四位年份，如 2022。"),
    Check("V301", ERROR, "扣分记录：未知指标", "“指标”须为指标体系中的三级指标名称（从下拉列表选择）。"),
    Check("V302", ERROR, "扣分记录：子项不可扣分", "“子项”须为该指标可扣分的子项（①②…），整个指标填“—”。"),
    Check("V303", ERROR, "扣分记录：扣分不是数字", "“扣分”填写分数（如 0.5），不能为空、文本或负数。"),
)}


@dataclass(frozen=True)
class Problem:
    id: str
    severity: str
    sheet: str
    cell: str
    name: str
    message: str
    expected: str = ""
    found: str = ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict:
        return asdict(self)


def problem(check_id: str, sheet: str, cell: str, name: str, message: str,
            expected: object = "", found: object = "") -> Problem:
    check = CATALOGUE[check_id]
    return Problem(check.id, check.severity, sheet, cell, name, message, str(expected), _shown(found))


def _shown(value: object) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:60]


def _expected(spec) -> str:
    if spec.kind == CHOICE:
        return "/".join(spec.choices)
    return {MONEY: "不小于0的金额（万元）", COUNT: "不小于0的整数", RATE: "0%–100%的比率",
            YEAR: "四位年份", TEXT: "文字"}[spec.kind]


def check_inputs(case: Case) -> tuple[list[Problem], Inputs | None]:
    """One problem per bad input cell; the typed Inputs when none is an 错误."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for name in NAMES:
        loc = case.inputs.get(name)
        if loc is None:
            continue
        spec, raw = BY_NAME[name], loc.value
        args = (loc.sheet, loc.cell, name)
        if isinstance(raw, str) and raw.startswith("="):
            problems.append(problem("V103", *args, f"{name}填的是公式，请改为数值本身", _expected(spec), raw))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems.append(problem("V101", *args, f"请填写{name}（{spec.label}）", _expected(spec), raw))
            continue
        try:
            value = convert(name, raw)
        except InputError:
            check = "V106" if spec.kind == YEAR else "V102"
            problems.append(problem(check, *args, f"{name}应为{_expected(spec)}", _expected(spec), raw))
            continue
        if spec.kind == CHOICE and value not in spec.choices:
            problems.append(problem("V105", *args, f"{name}应从下拉列表选择", _expected(spec), raw))
            continue
        if isinstance(value, Decimal) and value < 0:
            problems.append(problem("V104", *args, f"{name}不能为负数", _expected(spec), raw))
            continue
        values[name] = raw
    if any(p.severity == ERROR for p in problems):
        return problems, None
    return problems, Inputs.from_mapping(values)


def check_findings(case: Case, profile: Profile) -> tuple[list[Problem], list[Finding]]:
    problems: list[Problem] = []
    findings: list[Finding] = []
    for row, values in case.findings:
        indicator, subitem, points, reason, evidence = (tuple(values) + (None,) * 5)[:5]
        cell = lambda column: f"{L.col(L.FINDINGS_COLUMNS[column])}{row}"  # noqa: E731
        ind = profile.indicator(str(indicator or "").strip()) if indicator not in (None, "") else None
        if ind is None:
            problems.append(problem("V301", L.FINDINGS, cell("指标"), "指标",
                                    f"第{row}行的指标“{_shown(indicator)}”不在指标体系中", "三级指标名称", indicator))
            continue
        try:
            amount = to_decimal(points)
        except NotANumber:
            amount = None
        if amount is None or amount < 0:
            problems.append(problem("V303", L.FINDINGS, cell("扣分"), "扣分",
                                    f"第{row}行（{ind.name}）的扣分应为不小于0的数字", "分数", points))
            continue
        finding = Finding.make(ind.name, subitem, amount, reason, evidence, row=row)
        part = ind.part(finding.subitem)
        if finding.subitem != WHOLE and (part is None or part.quantitative):
            allowed = "、".join(p.id for p in ind.finding_parts) or "无"
            problems.append(problem("V302", L.FINDINGS, cell("子项"), "子项",
                                    f"第{row}行：{ind.name}没有可扣分的子项“{finding.subitem}”",
                                    f"{allowed}或—", subitem))
            continue
        findings.append(finding)
    return problems, findings


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
