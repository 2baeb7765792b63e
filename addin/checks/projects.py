"""V6xx: the 项目明细 rows (template 0.10) — each project named, its amounts numbers (read as
a worksheet formula reads them: udfs.money.cell_number), and their 本年实际支出 adding up to
财务数据's 项目支出. No score uses these rows; the report's project table (seed 003 二(三))
does, so a figure that is not a number stops the report as it stops the score elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from addin.case import Case
from addin.checks import Problem, problem
from addin.workbook import layout as L
from udfs.errors import NotANumber, TextNumber
from udfs.inputs import Inputs
from udfs.money import ZERO, cell_number, fmt_money, general

TOLERANCE = Decimal("0.01")  # 万元, as V211's parts and wholes
AMOUNTS = {"本年实际拨入": 2, "本年实际支出": 3, "年末结转和结余": 4}  # label -> column


@dataclass(frozen=True)
class Project:
    row: int
    name: str
    allotted: Decimal | None  # 本年实际拨入
    spent: Decimal | None  # 本年实际支出
    carried: Decimal | None  # 年末结转和结余


def _amount(row: int, label: str, name: str, raw: object, problems: list[Problem]) -> Decimal | None:
    where = f"{L.col(AMOUNTS[label])}{row}"
    said = f"项目明细第{row}行（{name or '未写项目名称'}）的{label}"
    try:
        value = cell_number(raw)
    except TextNumber:
        problems.append(problem("V601", L.PROJECTS, where, label, f"{said}是文本格式的数字（“{general(raw)}”），请转换为数字",
                                "数字", raw))
        return None
    except NotANumber:
        problems.append(problem("V601", L.PROJECTS, where, label, f"{said}“{general(raw)}”不是数字，请填写以万元为单位的金额",
                                "数字", raw))
        return None
    if value is not None and value < 0:
        problems.append(problem("V601", L.PROJECTS, where, label, f"{said}不能为负数", "不小于0的数字", raw))
        return None
    return value


def check_projects(case: Case, inputs: Inputs | None) -> tuple[list[Problem], list[Project]]:
    """V601/V603 on every filled row, V602 on the sum; the rows read, in the sheet's order."""
    problems: list[Problem] = []
    projects = []
    for row, values in case.projects:
        raw_name, *amounts = (tuple(values) + (None,) * 4)[:4]
        name = general(raw_name).strip() if raw_name is not None else ""
        if not name:
            problems.append(problem("V603", L.PROJECTS, f"A{row}", "项目名称", f"项目明细第{row}行填写了金额，但没有项目名称",
                                    "项目名称", ""))
        read = [_amount(row, label, name, raw, problems) for label, raw in zip(AMOUNTS, amounts, strict=True)]
        projects.append(Project(row, name, *read))
    spent = inputs["项目支出"] if inputs is not None else None
    if projects and spent is not None and not any(p.id == "V601" for p in problems):
        total = sum((p.spent or ZERO for p in projects), ZERO)
        if abs(total - spent) > TOLERANCE:
            first = case.projects[0][0]
            problems.append(problem("V602", L.PROJECTS, f"C{first}", "本年实际支出",
                                    f"项目明细的本年实际支出合计{fmt_money(total)}万元，与“财务数据”的项目支出{fmt_money(spent)}万元不符",
                                    fmt_money(spent), fmt_money(total)))
    return problems, projects
