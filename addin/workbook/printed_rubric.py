"""The cells where the standard workbook prints its rubric's words and points: 指标体系's rows and
title, 评分表's 分值/指标说明/评分标准/评价依据, 指标计算's 分值 and 取值说明, 评分说明's 标准分值,
汇总's 满分 and grade line, 填表说明's grade line. The builder writes them; ``preval score`` puts
the installed rubric's where a workbook printed another's (it scores by the installed rubric,
``addin.scoring.choose_rubric``), so that the copy shows the rubric that scored it.

What positions the cells (the indicators, their levels and names, the sub-items) is the
layout; two rubrics whose layouts differ cannot share a workbook (``layout_differences``).
No openpyxl here: PackageBook writes these cells too.
"""

from __future__ import annotations

from addin.workbook import layout as L
from udfs.profile import Indicator, Profile
from udfs.profile.serialize import canonical_text, digest

Cells = dict[tuple[str, str], object]
GUIDE_GRADE_ROW = 10  # 填表说明's line 6 (from template 0.6 on, the first that carries its rubric)


def rubric_title(profile: Profile) -> str:
    return f"指标体系（只读）：{profile.title}"


def guide_grade_line(profile: Profile) -> str:
    return f"评分标准见“指标体系”表；评价等级：{profile.grade_wording()}。"


def summary_grade_line(profile: Profile) -> str:
    step_down = "；出现严重违纪违法事件的，等级下调一级" if profile.options.grade_step_down else ""
    return f"等级：{profile.grade_wording()}{step_down}。"


def value_label(ind: Indicator) -> str:
    """指标计算's 取值说明: what the two value columns hold."""
    labels = [p.label for p in ind.value_parts] + [f"条件：{c.label}" for c in ind.zero_if]
    return "；".join(labels) or "（扣分类，无计算项）"


RUBRIC_COLUMNS = ("序号", "一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准", "评价依据")


def rubric_row(ind: Indicator) -> tuple[object, ...]:
    """指标体系's row of an indicator, in RUBRIC_COLUMNS' order."""
    return ind.no, ind.level1, ind.level2, ind.name, float(ind.weight), ind.explain, ind.standard, ind.evidence


def printed_rubric(profile: Profile, layout: L.Layout) -> Cells:
    """(sheet, cell) -> what the template prints there for ``profile``, in a workbook of
    ``layout``'s version. The layout's own cells (序号, levels, names) are left out: they are
    equal wherever two rubrics can share a workbook."""
    cells: Cells = {(L.RUBRIC, "A1"): rubric_title(profile), (L.GUIDE, f"B{GUIDE_GRADE_ROW}"): guide_grade_line(profile)}
    by_label = dict(zip(RUBRIC_COLUMNS, range(len(RUBRIC_COLUMNS)), strict=True))
    printed = ("分值", "指标说明", "评分标准", "评价依据")
    for index, ind in enumerate(profile.indicators):
        row, values = L.row_of(ind.no), rubric_row(ind)
        for label in printed:
            cells[(L.RUBRIC, f"{L.col(by_label[label] + 1)}{3 + index}")] = values[by_label[label]]
            if label in layout.scores_labels:  # 指标说明 came with 0.7
                cells[(L.SCORES, f"{L.col(layout.scores_labels.index(label) + 1)}{row}")] = values[by_label[label]]
        cells[(L.CALC, f"{L.col(layout.WEIGHT)}{row}")] = float(ind.weight)
        cells[(L.CALC, f"{L.col(layout.WHAT)}{row}")] = value_label(ind)
        cells[(L.NOTES, L.at(L.NOTES_WEIGHT, row))] = float(ind.weight)
    for section, weight in profile.section_weights().items():
        cells[(L.SUMMARY, layout.summary_cell(section, L.SUMMARY_WEIGHT))] = float(weight)
    cells[(L.SUMMARY, L.at(L.SUMMARY_LABEL, layout.summary_row("严重违纪") + 1))] = summary_grade_line(profile)
    return cells


def layout_differences(a: Profile, b: Profile) -> list[str]:
    """Why two rubrics cannot share one workbook, in the rubric's words (empty: they can): the
    indicators with their levels and names, the sub-item columns, the sections."""
    out = []
    ours, theirs = ([(i.no, i.level1, i.level2, i.name) for i in p.indicators] for p in (a, b))
    if ours != theirs:
        changed = [f"第{no}个指标“{name}”" for no, _l1, _l2, name in theirs if (no, _l1, _l2, name) not in ours]
        changed += [f"第{no}个指标“{name}”" for no, _l1, _l2, name in ours[len(theirs):]]
        out.append("指标（" + ("、".join(changed[:4]) or "顺序") + "）")
    la, lb = L.Layout(a), L.Layout(b)
    if la.subitems != lb.subitems:  # 指标计算's deduction columns; the 子项 dropdown's list is not
        out.append("子项")          # positional (扣分记录 keeps the workbook's, the checks take either)
    if la.sections != lb.sections:
        out.append("一级指标")
    return out


def embedded_cells(profile: Profile) -> dict[str, str]:
    """指标体系's hidden column: cell -> its text (the digest, then the chunks of the rubric)."""
    text, col = canonical_text(profile), L.EMBED_COLUMN
    cells = {f"{col}{L.EMBED_DIGEST_ROW}": digest(text)}
    for n, start in enumerate(range(0, len(text), L.EMBED_CHUNK)):
        cells[f"{col}{L.EMBED_FIRST_ROW + n}"] = L.EMBED_MARK + text[start:start + L.EMBED_CHUNK]
    return cells
