"""Template versions are a promise: a workbook made by one version of the template validates
and scores unchanged by every later preval, compared against its own version, never against
the newest. A version this program cannot read as it is is moved to the current
template by ``preval upgrade`` (a new file with the old inputs and 扣分记录; the old one kept).

What each version changed, and so what a check of a workbook must know about it:

- 0.4: the optional self-report columns on 评分表 (部门自报比率, 部门自评得分: V403/V404).
- 0.5: the status line says "实时计算" only when PREVAL_TOTAL(0) returns a number
  (ISNUMBER), not when it merely is no error value: a call that failed inside Excel returns
  text. The computed formulas (``formulas.formula_cells``) are those of 0.4.
- 0.6: the rubric compiled to ordinary formulas (``addin.workbook.native``) in the 公式计算
  columns of 指标计算: every PREVAL_* cell falls back to them instead of the last computed
  value, so WPS, LibreOffice and Excel without the add-in compute live; a 核对 column; the
  status line speaks of live numbers and of the 评分说明's age; names 总分, 评价等级,
  投入得分 … on 汇总; inputs 上年结转, 其他收入 (blank = 0), 项目预算, 项目支出 and the three
  parts of 三公经费 (``InputSpec.since``).
- 0.7: 评分表 has the seed's 8 columns: 指标说明 between 分值 and 评分标准, so the score is in
  column H (was G) and the self-report columns in I:J (were H:I) (``layout.Layout.score``).
  Inputs and every other sheet as in 0.6.
- 0.8: optional inputs 单位编码 (batch tells units by it), 人员经费 and last year's 人员经费
  and 公用经费, each 三公 item's 预算, last year's 采购 by kind, 资产总额/负债总额/净资产/固定资产,
  and the report texts 其他需要说明的情况, 项目负责人, 注册会计师 (``InputSpec.since``). Every
  sheet's layout as in 0.7.
- 0.9: the workbook checks its own inputs (``addin.catalogue.one_cell``): on 基础信息 and
  财务数据 column E (实时校验) states each input's V1xx checks as a formula, column F (hidden)
  the cell's text as a number's spelling; the input and its 实时校验 cell turn red or orange;
  校验结果 row 2 and 汇总 count them ("实时校验：N 个错误，M 个提示"); the status line points
  at the 实时校验 column; 扣分记录 column F (实时校验) checks each row (V301–V305, V307, V308,
  ``addin.catalogue.finding_rows``) with hidden helpers in G–W, counted in the same line.
  Inputs and every other cell as in 0.8.
- 0.10: the sheet 项目明细 (after 扣分记录): one project a row — 项目名称, 本年实际拨入, 本年实际支出,
  年末结转和结余 — for the report's project table (seed 003 二(三)); checked by V601–V603, used
  by no score; the report texts 基本支出情况 and 项目管理情况 (``InputSpec.since``). Every other sheet as in 0.9.
- 0.11: the 评分说明 explains itself (``addin.workbook.live_notes``): 评分依据 (E) and 扣分事由及佐证材料
  (F) are formulas that say what the engine says and change with every input; ten hidden helper
  columns on 扣分记录 after the live checks' (Z–AI) join each sub-item's 事由; the status line says
  the 评分说明 is live instead of how old it is. Inputs and every other cell as in 0.10.
"""

from __future__ import annotations

from dataclasses import replace

from udfs.contract import BY_NAME, NAMES

CURRENT = "0.11"
SUPPORTED = ("0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")  # read, validated and scored as they are


def supported(version: str) -> bool:
    return version in SUPPORTED


def newer_than_current(version: str) -> bool:
    """A workbook made by a later preval than this one (a number we can compare)."""
    try:
        return tuple(map(int, version.split("."))) > tuple(map(int, CURRENT.split(".")))
    except ValueError:
        return False


def live_test(version: str) -> str:
    """The status line's test "the add-in computes" in a workbook of ``version``."""
    return "ISERROR" if version == "0.4" else "ISNUMBER"


def native(version: str) -> bool:
    """The workbook carries the rubric as ordinary formulas (0.6 on)."""
    return version not in ("0.4", "0.5")


def explain_column(version: str) -> bool:
    """评分表 has the 指标说明 column (0.7 on)."""
    return _number(version) >= (0, 7)


def live_checks(version: str) -> bool:
    """The input sheets check their inputs by formula, the 实时校验 column (0.9 on)."""
    return _number(version) >= (0, 9)


def projects(version: str) -> bool:
    """The workbook has the sheet 项目明细 (0.10 on)."""
    return _number(version) >= (0, 10)


def live_notes(version: str) -> bool:
    """评分说明's 评分依据 and 扣分事由 are formulas (0.11 on)."""
    return _number(version) >= (0, 11)


def _number(version: str) -> tuple[int, ...]:
    try:
        return tuple(map(int, version.split(".")))
    except ValueError:
        return (0,)


def names(version: str) -> tuple[str, ...]:
    """The defined names a workbook of ``version`` has (inputs are only ever added)."""
    return tuple(n for n in NAMES if _number(BY_NAME[n].since) <= _number(version))


def options_for(options, version: str):
    """The profile's options as a workbook of ``version`` can state them: an adjustment part
    that version has no input for (上年结转 before 0.6) is blank there, i.e. 0."""
    present = set(names(version))
    return replace(options, adjust_parts=tuple(p for p in options.adjust_parts if p in present))
