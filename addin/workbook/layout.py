"""Where things are in the standard workbook: sheet names, rows and columns.

The template builder writes these places, ``preval score`` and the ribbon fill them and
read them back, the checks point at them. One module, so the three cannot drift apart.

Indicator n (1–28) is on row ``FIRST_ROW + n - 1`` of 指标计算, 评分表 and 评分说明.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from addin.catalogue import ERROR, HINT  # noqa: F401 - the words its sheets show
from addin.workbook import versions
from udfs.contract import BY_NAME, FINDINGS_HEADER, NAMES, display_order
from udfs.contract import COUNT as COUNT_KIND
from udfs.contract import MONEY as MONEY_KIND
from udfs.contract import POINTS as POINTS_KIND
from udfs.contract import RATE as RATE_KIND
from udfs.contract import TEXT as TEXT_KIND
from udfs.contract import YEAR as YEAR_KIND
from udfs.inputs import CIRCLED
from udfs.profile import WHOLE, Profile

GUIDE, BASICS, MONEY, FINDINGS, REPORT = "填表说明", "基础信息", "财务数据", "扣分记录", "报告内容"
PROJECTS = "项目明细"
CALC, SCORES, NOTES, SUMMARY, CHECKS, RUBRIC = "指标计算", "评分表", "评分说明", "汇总", "校验结果", "指标体系"
SHEETS = (GUIDE, BASICS, MONEY, FINDINGS, PROJECTS, REPORT, CALC, SCORES, NOTES, SUMMARY, CHECKS, RUBRIC)
# 报告内容 came with template 0.6 and 项目明细 with 0.10; both hold only what the report uses
# (optional texts, the projects' figures): an older workbook has neither
REQUIRED_SHEETS = tuple(s for s in SHEETS if s not in (REPORT, PROJECTS))

FILE_NAME = "部门整体支出绩效评价.xlsx"
VERSION_NAME = "模板版本"
PROFILE_NAME = "评分档案"  # defined name of the profile cell (added to the contract's names)
# A 定稿 carries these two names as constants: when it was frozen, and a digest of what it
# showed then (addin.checks.final), so a later edit is reported and it is never rescored.
FINAL_NAME, FINAL_DIGEST_NAME = "定稿", "定稿校验"

# The workbook carries its rubric (template 0.6): on 指标体系, hidden column M, the rubric as
# JSON in chunks from row 3 and its sha256 in row 2, so a machine without that rubric
# installed scores the workbook by the rubric it was made with.
EMBED_COLUMN, EMBED_DIGEST_ROW, EMBED_FIRST_ROW, EMBED_CHUNK = "M", 2, 3, 4000
EMBED_MARK = "#"  # before every chunk: a chunk starting with "=" must stay text

NOT_COMPUTED = "未计算"  # what a cache cell (and so a result falling back to it) holds before the first computation
FIRST_ROW = 4  # row 1 title, row 2 status line, row 3 header
# the result sheets' titles, after the unit's name and year (formulas.title_formula)
TITLES = {SCORES: "部门整体支出绩效评价评分表", NOTES: "部门整体支出绩效评价评分说明", SUMMARY: "部门整体支出绩效评价汇总"}
FINDINGS_FIRST, FINDINGS_ROWS = 2, 200  # 扣分记录: rows 2..201 are prepared
FINDINGS_LAST = FINDINGS_FIRST + FINDINGS_ROWS - 1
CHECK_ROWS = 300  # 校验结果 rows a fill may use
# 项目明细 (0.10): one project a row, as seed 003's table 二(三) lists them, from the 决算's 项目支出
# 决算明细; the report's table and its 合计 are made from them (addin.checks.projects)
PROJECTS_HEADER = ("项目名称", "本年实际拨入", "本年实际支出", "年末结转和结余")
PROJECTS_FIRST, PROJECTS_ROWS = 2, 50
PROJECTS_LAST = PROJECTS_FIRST + PROJECTS_ROWS - 1


def row_of(no: int) -> int:
    return FIRST_ROW + no - 1


def col(n: int) -> str:
    # A, …, Z, AA, …: openpyxl's get_column_letter, without importing openpyxl (and numpy with
    # it) into every command that only needs the layout (preval new copies a file)
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def at(column: int, row: int) -> str:
    """The reference of a cell by its column number: at(3, 7) -> "C7"."""
    return f"{col(column)}{row}"


INPUT_COLUMN, INPUT_FIRST_ROW = "B", 3  # the input sheets: 项目 | 填报值 | 单位 | 说明, from row 3
# 0.9: beside them 实时校验 (an input's checks as a formula) and hidden helpers, right of the
# print area. 校验结果's row 2 counts what they show.
LIVE_SHEETS, LIVE_COLUMN = (BASICS, MONEY), "E"
LIVE_HIDDEN_COLUMNS = ("F", "G", "H", "I", "J", "K")  # addin.workbook.live_checks says what each holds
LIVE_GATE = (MONEY, "H2")  # how many inputs have a V1xx 错误: the figure checks wait for none
LIVE_COUNT_CELL = "A2"
# 扣分记录 (0.9): a row's 实时校验 beside 佐证材料, its helpers hidden after it (finding_rows.HELPERS)
FINDINGS_LIVE_COLUMN, FINDINGS_HELPERS_FROM = "F", 7
GUIDE_CELLS = {VERSION_NAME: "B3", PROFILE_NAME: "B4"}  # on 填表说明
# the number formats the template gives an input cell, by the input's kind (else General), and 扣分
INPUT_FORMATS = {MONEY_KIND: "#,##0.00", COUNT_KIND: "0", RATE_KIND: "0.00%", YEAR_KIND: "0", POINTS_KIND: "0.00",
                 TEXT_KIND: "@"}
FINDINGS_POINTS_FORMAT = "0.00##"  # 0.125 shows as 0.125: the engine subtracts what it shows
# the formats of the computed cells: scores, rates, and deductions (none shows as an empty cell, not 0.00)
SCORE_FORMAT, RATE_FORMAT, DEDUCTION_FORMAT = "0.00", "0.00%", '0.00;-0.00;""'


def input_format(spec) -> str:
    return "@" if spec.report else INPUT_FORMATS.get(spec.kind, "General")


def input_sheet_of(spec) -> str:
    """The sheet an input is typed on: money on 财务数据, report texts on 报告内容, the rest on 基础信息."""
    return REPORT if spec.report else MONEY if spec.kind == MONEY_KIND else BASICS


def input_cells(version: str = versions.CURRENT) -> dict[str, tuple[str, str]]:
    """Input name -> (sheet, cell) in a workbook of template ``version``: each input sheet
    lists the inputs that version has, in display order (报告内容 in contract order), from
    row 3 in column B. Checked against the committed workbooks of every version."""
    present = [BY_NAME[name] for name in versions.names(version)]
    out: dict[str, tuple[str, str]] = {}
    for sheet in (BASICS, MONEY, REPORT):
        specs = [s for s in present if input_sheet_of(s) == sheet]
        for row, spec in enumerate(specs if sheet == REPORT else display_order(specs), start=INPUT_FIRST_ROW):
            out[spec.name] = (sheet, f"{INPUT_COLUMN}{row}")
    return out


def findings_range(column: int) -> str:
    """Absolute reference to one 扣分记录 column over its prepared rows."""
    letter = col(column)
    return f"'{FINDINGS}'!${letter}${FINDINGS_FIRST}:${letter}${FINDINGS_LAST}"


# 评分表: 一级 | 二级 | 三级 | 分值 | …; its score column depends on the version (Layout.score)
SCORES_WEIGHT = 4
# 评分说明: 序号 | 三级指标 | 分值 | 得分 | 评分依据 | 扣分事由
NOTES_NO, NOTES_NAME, NOTES_WEIGHT, NOTES_SCORE, NOTES_BASIS, NOTES_REASONS = 1, 2, 3, 4, 5, 6
# 汇总: 一级指标 | 满分 | 得分 | 得分率
SUMMARY_LABEL, SUMMARY_WEIGHT, SUMMARY_SCORE, SUMMARY_RATE = 1, 2, 3, 4


@dataclass(frozen=True)
class Layout:
    """Positions that depend on the profile (number of indicators and sub-items) and, for
    评分表, on the workbook's template version (0.7 added the 指标说明 column)."""

    profile: Profile
    version: str = versions.CURRENT

    # 评分表 columns: 一级 | 二级 | 三级 | 分值 | (指标说明, 0.7 on) | 评分标准 | 评价依据 | 得分,
    # then the optional self-report columns (部门自报比率, 部门自评得分: 0.4 on)
    @property
    def scores_labels(self) -> tuple[str, ...]:
        explain = ("指标说明",) if versions.explain_column(self.version) else ()
        return ("一级指标", "二级指标", "三级指标", "分值", *explain, "评分标准", "评价依据", "得分")

    @property
    def score(self) -> int:
        """评分表's score column."""
        return len(self.scores_labels)

    @property
    def score_letter(self) -> str:
        return col(self.score)

    @property
    def self_rate(self) -> int:
        return self.score + 1

    @property
    def self_score(self) -> int:
        return self.score + 2

    # 指标计算 columns: 序号 | 三级指标 | 分值 | 取值说明 | 取值一 | 取值二 | ①…⑦ | — |
    # preval 计算值: 取值一, 得分 | (gap) | 输入快照: 名称, 快照值, 已修改
    NO, NAME, WEIGHT, WHAT, VALUE1, VALUE2 = 1, 2, 3, 4, 5, 6
    FIRST_SUB = 7

    @cached_property
    def subitems(self) -> tuple[str, ...]:
        """①… up to the highest sub-item any indicator has, then — (whole indicator)."""
        used = {p.id for ind in self.profile.indicators for p in ind.parts}
        top = max(CIRCLED.index(i) for i in used if i in CIRCLED)
        return tuple(CIRCLED[: top + 1]) + (WHOLE,)

    @cached_property
    def subitem_choices(self) -> tuple[str, ...]:
        """What the 子项 dropdown offers: ①…, the rubric's own spellings of sub-items with two
        halves ("④采购", "④外租"), then — ."""
        own = tuple(dict.fromkeys(p.choice for ind in self.profile.indicators for p in ind.parts if p.choice))
        return (*self.subitems[:-1], *own, WHOLE)

    @property
    def last_sub(self) -> int:
        return self.FIRST_SUB + len(self.subitems) - 1

    @property
    def cached_value(self) -> int:
        return self.last_sub + 1

    @property
    def cached_score(self) -> int:
        return self.last_sub + 2

    @property
    def snap_name(self) -> int:
        return self.last_sub + 4

    @property
    def snap_value(self) -> int:
        return self.snap_name + 1

    @property
    def snap_changed(self) -> int:
        return self.snap_name + 2

    # 0.6: the rubric as ordinary formulas (addin.workbook.native), right of the snapshot:
    # 公式计算 取值一, 取值二, 计算项得分, 得分, then 核对 (add-in and formulas agree)
    @property
    def native_value1(self) -> int:
        return self.snap_changed + 2

    @property
    def native_value2(self) -> int:
        return self.native_value1 + 1

    @property
    def native_points(self) -> int:
        return self.native_value1 + 2

    @property
    def native_score(self) -> int:
        return self.native_value1 + 3

    @property
    def agree(self) -> int:
        return self.native_value1 + 4

    @property
    def last_row(self) -> int:
        return row_of(len(self.profile.indicators))

    # 指标计算 rows below the indicators: cached section scores, total, grade, time
    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(self.profile.section_weights())

    @property
    def cache_first(self) -> int:
        return self.last_row + 3

    @property
    def cache_keys(self) -> tuple[str, ...]:
        return (*self.sections, "总分", "等级", "计算时间", "扣分合计", "扣分行数")

    def cache_row(self, key: str) -> int:
        """Row of a cached summary value on 指标计算: a section, 总分, 等级 or 计算时间."""
        return self.cache_first + self.cache_keys.index(key)

    def snapshot_row(self, name: str) -> int:
        return FIRST_ROW + NAMES.index(name)

    def section_rows(self, section: str) -> tuple[int, int]:
        """First and last 评分表 row of a section (sections are contiguous in the rubric)."""
        rows = [row_of(i.no) for i in self.profile.indicators if i.level1 == section]
        return rows[0], rows[-1]

    # 汇总 rows
    def summary_row(self, key: str) -> int:
        """Row on 汇总 of a section, 合计, 评价等级, 严重违纪, or the grade line and the live
        count of the input checks under the table (0.9)."""
        keys = (*self.sections, "合计", "评价等级", "严重违纪", "等级说明", "实时校验")
        return FIRST_ROW + keys.index(key)

    def summary_cell(self, key: str, column: int = SUMMARY_SCORE) -> str:
        """A 汇总 cell of a section, 合计, 评价等级 or 严重违纪: its 得分 unless ``column``."""
        return at(column, self.summary_row(key))

    def summary_scores(self) -> str:
        """The 得分 cells of the sections on 汇总, as a range ("C4:C7")."""
        first, last = (self.summary_cell(s) for s in (self.sections[0], self.sections[-1]))
        return f"{first}:{last}"

    def contract_cells(self) -> dict[str, tuple[str, str]]:
        """Every defined name of the template (design.md's contract) -> (sheet, cell) in a
        workbook of this layout's version: the inputs, 模板版本 and 评分档案, and (0.6 on) the
        results on 汇总."""
        out = dict(input_cells(self.version))
        out.update({name: (GUIDE, cell) for name, cell in GUIDE_CELLS.items()})
        if versions.native(self.version):
            out.update({name: (SUMMARY, target.rsplit("!", 1)[1].replace("$", ""))
                        for name, target in self.result_names().items()})
        return out

    def result_names(self) -> dict[str, str]:
        """Workbook names of the results (0.6 on), so other workbooks and tools can refer
        to them: 总分, 评价等级 and one per section (投入得分 …) -> the 汇总 cell."""
        names = {f"{section}得分": self.summary_row(section) for section in self.sections}
        names.update({"总分": self.summary_row("合计"), "评价等级": self.summary_row("评价等级")})
        return {name: f"'{SUMMARY}'!${col(SUMMARY_SCORE)}${row}" for name, row in names.items()}


# 评分表: optional yellow columns right of the printed table (Layout.self_rate, self_score),
# for a department's own self-evaluation figures (checked against the computed ones, V403/V404)
SELF_HEADER = ("部门自报比率", "部门自评得分")

FINDINGS_COLUMNS = {label: n for n, label in enumerate(FINDINGS_HEADER, start=1)}
CHECKS_HEADER = ("编号", "级别", "位置", "项目", "说明", "期望", "实际")
CHECKS_COLUMNS = {label: n for n, label in enumerate(CHECKS_HEADER, start=1)}
