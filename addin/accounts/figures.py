"""Which input comes from which table, row and column — stated once, as data (``PICKS``) — and
the taking of it: each figure in 万元 with where it was printed, or the reason it could not be
taken. The 三公 table (one row of twelve amounts under two levels of headings) and the
基本支出 lines by economic code (30212 …) are read by their own small functions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from addin.accounts import catalogue as K
from addin.accounts.grid import column_paths, find_column, find_labels, first_data_row, heading_of, label, value_right_of
from addin.accounts.tables import YUAN, NotAmount, Table, amount, plain
from udfs.money import fmt_money, money


@dataclass(frozen=True)
class Figure:
    """One amount of the 决算, in 万元, and where it is printed."""

    key: str  # an input name of the workbook, or a figure only the checks use ("本年收入合计")
    value: Decimal | str  # str only for a name (单位名称)
    label: str  # what the 决算 calls it: the row label, or the sentence's words
    where: str  # file《table》page “row”行“column”列, or file page and the sentence
    unit: str = "万元"  # "人" for a count of people, "年" for the year, "" for a name

    @property
    def amount(self) -> Decimal:
        if not isinstance(self.value, Decimal):
            raise TypeError(f"{self.key} is a name, not an amount")
        return self.value

    def shown(self) -> str:
        if self.unit == "万元":
            return f"{fmt_money(self.amount)} 万元"
        return f"{self.value} {self.unit}" if self.unit else f"“{self.value}”"


def table_place(table: Table, row: int) -> str:
    return f"{table.source}《{plain(table.title)}》{table.rows[row].where}"


def _figure(key: str, value: Decimal, table: Table, row: int, row_label: str, column_label: str,
            count: bool = False) -> Figure:
    unit = "，原表单位为元，已换算为万元" if table.unit == YUAN and not count else ""
    column = f"“{column_label}”列" if column_label else ""
    name = row_label
    if column_label and column_label != row_label and row_label in ("合计", "三公经费"):
        name = f"{row_label}（{column_label}）"
    return Figure(key, value, name, f"{table_place(table, row)}“{row_label}”行{column}{unit}", "人" if count else "万元")


@dataclass(frozen=True)
class Problem:
    """What kept a figure from being taken, or what the 决算's own arithmetic says."""

    severity: str  # "错误": the figure is not imported; "不符": the 决算 disagrees with itself; "提示"
    where: str
    message: str


@dataclass(frozen=True)
class Pick:
    key: str
    kind: str
    labels: tuple[str, ...]
    column: tuple[str, ...] = ()  # a heading; () = the amount right of the label
    occurrence: int = 0  # 总计 stands twice in one row: 0 the 收入 side, 1 the 支出 side
    name: str = ""  # what messages call it, when the row label alone is ambiguous
    count: bool = False  # a number of people: a whole number, never converted from 元


PICKS = (
    Pick("本年收入合计", K.TOTALS, ("本年收入合计", "收入合计")),
    Pick("使用非财政拨款结余", K.TOTALS, ("使用非财政拨款结余", "用事业基金弥补收支差额")),
    Pick("上年结转结余", K.TOTALS, ("年初结转和结余",)),
    Pick("总计收入", K.TOTALS, ("总计",), name="收入方总计"),
    Pick("预算执行数", K.TOTALS, ("本年支出合计", "支出合计")),
    Pick("结余分配", K.TOTALS, ("结余分配",)),
    Pick("结转结余", K.TOTALS, ("年末结转和结余",)),
    Pick("总计支出", K.TOTALS, ("总计",), occurrence=1, name="支出方总计"),
    Pick("支出合计", K.SPENDING, ("合计",), ("本年支出合计", "支出合计", "合计")),
    Pick("基本支出", K.SPENDING, ("合计",), ("基本支出",)),
    Pick("项目支出", K.SPENDING, ("合计",), ("项目支出",)),
    Pick("上缴上级支出", K.SPENDING, ("合计",), ("上缴上级支出",)),
    Pick("经营支出", K.SPENDING, ("合计",), ("经营支出",)),
    Pick("对附属单位补助支出", K.SPENDING, ("合计",), ("对附属单位补助支出",)),
    Pick("一般公共预算支出", K.GENERAL, ("合计",), ("本年支出合计", "支出合计", "合计", "小计")),
    Pick("一般公共预算基本支出", K.GENERAL, ("合计",), ("基本支出",)),
    Pick("一般公共预算项目支出", K.GENERAL, ("合计",), ("项目支出",)),
    Pick("人员经费", K.BASIC, ("人员经费合计", "人员经费")),
    Pick("公用经费实际", K.BASIC, ("公用经费合计", "公用经费")),
    Pick("年初预算", K.RELATED, ("一般公共预算财政拨款支出", "一般公共预算财政拨款"), ("年初预算数", "年初预算")),
    Pick("编制数", K.STAFF, ("编制人数", "编制数", "核定编制数"), count=True),
    Pick("在职人数", K.STAFF, ("在职人员", "其中：在职人员", "在职人数", "实有在职人数"), count=True),
)
# the 三公 table's twelve amounts: (group, 预算数 key, 决算数 key)
THREE_GROUPS = (
    ("合计", "三公预算本年", "三公实际"),
    ("因公出国", "出国经费预算", "出国经费"),
    ("公务用车", "公务用车经费预算", "公务用车经费"),
    ("购置费", "公务用车购置预算", "公务用车购置"),
    ("运行费", "公务用车运行预算", "公务用车运行"),
    ("公务接待", "公务接待经费预算", "公务接待经费"),
)
# lines of the 基本支出 table by economic code, against the 三公 figure they belong to
CODES = {"30212": "因公出国（境）费用", "30217": "公务接待费", "30231": "公务用车运行维护费", "31013": "公务用车购置"}


def _in_wan(raw: object, table: Table) -> Decimal:
    value = amount(raw)
    if value is None:
        return Decimal("0.00")
    return money(value / 10000) if table.unit == YUAN else money(value)


def _people(raw: object) -> Decimal:
    value = amount(raw)
    if value is None:
        return Decimal(0)
    if value != value.to_integral_value() or value < 0:
        raise NotAmount(raw)
    return value.quantize(Decimal(1))


def _taken(key: str, raw: object, table: Table, row: int, row_label: str, column_label: str,
           problems: list[Problem], count: bool = False) -> Figure | None:
    try:
        value = _people(raw) if count else _in_wan(raw, table)
    except NotAmount:
        if count:
            negative = isinstance(raw, (int, float)) and raw < 0 or str(raw).strip().startswith("-")
            problems.append(Problem("错误", table_place(table, row),
                                    f"“{row_label}”的人数“{raw}”{'不能为负数' if negative else '不是整数'}，未导入"))
            return None
        problems.append(Problem("错误", table_place(table, row),
                                f"“{row_label}”的金额“{raw}”不是数字（应为 2,940.05 这样的金额），未导入"))
        return None
    return _figure(key, value, table, row, row_label, column_label, count)


def pick(table: Table, p: Pick, problems: list[Problem]) -> Figure | None:
    found = find_labels(table, p.labels)
    if p.column:
        for row, column in found:
            target = find_column(table, p.column, row)
            if target is not None and target != column:
                heading = column_paths(table, min(row, first_data_row(table)))[target]
                return _taken(p.key, table.rows[row].cells[target], table, row, label(table.rows[row].cells[column]),
                              heading_of(heading), problems, p.count)
        return None
    seen = 0
    for row, column in found:
        right = value_right_of(table, row, column)
        if right is None:
            continue
        if seen == p.occurrence:
            raw, target = right
            paths = column_paths(table, first_data_row(table))
            name = heading_of(paths[target]) if target < len(paths) else ""
            figure = _taken(p.key, raw, table, row, label(table.rows[row].cells[column]), name, problems, p.count)
            return replace(figure, label=p.name) if figure is not None and p.name else figure
        seen += 1
    return None


_SIDES = ("预算数", "决算数")


def _three_group(path: tuple[str, ...]) -> str | None:
    for heading in reversed(path):
        if heading in _SIDES:
            continue
        if "小计" in heading or "购置及运行" in heading:
            return "公务用车"
        for group in ("因公出国", "公务接待", "购置费", "运行费"):
            if group in heading:
                return group
        if "购置" in heading:
            return "购置费"
        if "运行" in heading:
            return "运行费"
        if heading == "合计":
            return "合计"
    return None


def three_public(table: Table, problems: list[Problem]) -> list[Figure]:
    """The 三公 table: one row of amounts under headings that name, for each column, its side
    (预算数 or 决算数, above the groups as the national template prints it or below them) and its
    group (合计, 因公出国, 公务用车 小计, 购置费, 运行费, 公务接待). A table of blanks is all 0.00."""
    data = first_data_row(table)
    paths = column_paths(table, data)
    row = data if data < len(table.rows) else len(table.rows) - 1
    cells = table.rows[data].cells if data < len(table.rows) else ()
    figures: list[Figure] = []
    for column, path in enumerate(paths):
        side = next((p for p in reversed(path) if p in _SIDES), None)
        spec = next((g for g in THREE_GROUPS if g[0] == _three_group(path)), None)
        if side is None or spec is None:
            continue
        key = spec[1] if side == "预算数" else spec[2]
        raw = cells[column] if column < len(cells) else None
        heading = heading_of(tuple(p for p in path if p not in _SIDES))
        figure = _taken(key, raw, table, max(row, 0), "三公经费", heading + side, problems)
        if figure is not None and all(f.key != key for f in figures):
            figures.append(figure)
    return figures



def code_lines(table: Table, problems: list[Problem]) -> list[Figure]:
    """The lines 30212 因公出国（境）费用, 30217 公务接待费, 30231 公务用车运行维护费 and 31013
    公务用车购置 of the 基本支出 table, whether the code is one cell or 类 and 款 side by side."""
    out = []
    for r, row in enumerate(table.rows):
        cells = [plain(c) for c in row.cells]
        for c, text in enumerate(cells):
            code = ""
            if text in CODES:
                code, name_at = text, c + 1
            elif len(text) == 3 and text.isdigit() and c + 1 < len(cells) and len(cells[c + 1]) == 2 \
                    and text + cells[c + 1] in CODES:
                code, name_at = text + cells[c + 1], c + 2
            if not code:
                continue
            right = value_right_of(table, r, name_at)
            if right is not None:
                figure = _taken("基本支出" + code, right[0], table, r, f"{code} {CODES[code]}", "", problems)
                if figure is not None:
                    out.append(figure)
    return out
