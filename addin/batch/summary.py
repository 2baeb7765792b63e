"""The consolidated workbook of a batch: per 年度 and rubric a ranking (one row per unit),
the grade distribution with a chart, 指标失分分析 (where the units lose points) with a
chart, the duplicate copies that were not counted, and the files that could not be scored."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from addin.batch.dedupe import Duplicate, deduplicate, groups, identity_conflicts
from addin.batch.losses import losses
from addin.batch.run import TAIL, Outcome, columns
from addin.books.atomic import write_atomic
from addin.workbook import layout as L
from addin.workbook.cell_text import write_text_or_value
from addin.workbook.row_height import text_height
from addin.workbook.style import (
    CENTER,
    HEADER_FONT,
    RATE_FORMAT,
    SCORE_FORMAT,
    WRAP_TOP,
    body,
    finish_sheet,
    header,
    title,
    widths,
)

TEXT_COLUMNS = ("单位名称", "文件", "评分档案来源", "外部位置", "三级指标", "一级指标", "二级指标", "主要扣分原因")
WIDTHS = {"排名": 6, "单位名称": 28, "年度": 7, "总分": 9, "等级": 6, "错误数": 7, "提示数": 7, "评分档案来源": 12,
          "外部位置": 30, "文件": 30,
          "序号": 6, "一级指标": 8, "二级指标": 14, "三级指标": 24, "分值": 6, "平均得分": 9, "平均得分率": 10,
          "失分单位数": 10, "单位数": 8, "失分合计": 9, "主要扣分原因": 60}
NOT_SCORES = ("排名", "单位名称", "年度", "序号", "一级指标", "二级指标", "三级指标", "失分单位数", "单位数", "主要扣分原因",
              *(c for c in TAIL if c != "总分"))
RATE_COLUMNS = ("平均得分率",)
Group = tuple[tuple[object, str], list[Outcome]]


def ranked(outcomes: list[Outcome]):
    """The scored rows as a DataFrame, best first, with 排名 (ties share a rank)."""
    import pandas as pd

    frame = pd.DataFrame([o.row for o in outcomes if o.row is not None], columns=list(columns(outcomes)))
    frame = frame.sort_values(["总分", "单位名称"], ascending=[False, True], kind="stable")
    frame.insert(0, "排名", frame["总分"].rank(method="min", ascending=False).astype(int))
    return frame


def grades(outcomes: list[Outcome]) -> tuple[str, ...]:
    """Every grade of the scored files' profiles, best first."""
    return tuple(dict.fromkeys(g for o in outcomes if o.row is not None for g in o.grades))


def grade_counts(frame, names: tuple[str, ...]) -> list[tuple[str, int, float]]:
    counts = frame["等级"].value_counts()
    total = max(len(frame), 1)
    return [(g, int(counts.get(g, 0)), int(counts.get(g, 0)) / total) for g in names]


def _put(cell, value: object, number_format: str | None = None, align=None) -> None:
    """A body cell holding what a department's file said (its name, its 单位名称): text, never
    a formula (a file named "=1+4.xlsx"), storable (a pasted control character)."""
    body(cell, None, number_format, align)
    write_text_or_value(cell, value.item() if hasattr(value, "item") else value)


def _label(key: tuple[object, str], members: list[Outcome]) -> str:
    year, _ = key
    rubric = members[0].profile_title or members[0].profile
    return "，".join(x for x in (f"{year}年度" if year else "", f"评分档案：{rubric}" if rubric else "") if x)


def _sheet_names(grouped: dict) -> list[str]:
    if len(grouped) == 1:
        return ["汇总"]
    years = [year for year, _ in grouped]
    names: list[str] = []
    for year, profile in grouped:
        name = f"{year or '未填年度'}年排名" if years.count(year) == 1 else f"{year or ''}年排名-{profile}"
        name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
        while name in names:
            name = name[:29] + f"-{len(names)}"
        names.append(name)
    return names


def _table(ws, first_row: int, frame) -> int:
    """A header and the frame's rows from ``first_row``; the row after the last."""
    labels = tuple(frame.columns)
    header(ws, first_row, labels)
    r = first_row
    for r, values in enumerate(frame.itertuples(index=False), start=first_row + 1):
        for c, (label, value) in enumerate(zip(labels, values, strict=True), start=1):
            fmt = RATE_FORMAT if label in RATE_COLUMNS else SCORE_FORMAT if label not in NOT_SCORES else None
            _put(ws.cell(r, c), value, fmt, CENTER if label not in TEXT_COLUMNS else None)
    widths(ws, {L.col(c): WIDTHS.get(label, 8) for c, label in enumerate(labels, start=1)})  # 8: a section
    return r + 1


def _ranking(ws, key, members: list[Outcome], note: str) -> None:
    frame = ranked(members)
    labels = tuple(frame.columns)
    title(ws, f"部门整体支出绩效评价汇总（{_label(key, members)}，{len(frame)}个单位）", len(labels))
    ws.cell(2, 1, note)
    _table(ws, 3, frame)
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{L.col(len(labels))}{max(3 + len(frame), 4)}"
    finish_sheet(ws, landscape=True, title_rows="1:3", protect=False)  # the bureau sorts and annotates it


def _overview(ws, grouped: dict, names: list[str], note: str) -> None:
    labels = ("年度", "评分档案", "单位数", "平均分", "最高分", "最低分", "排名表")
    title(ws, "部门整体支出绩效评价汇总（按年度和评分档案分别排名）", len(labels))
    ws.cell(2, 1, note)
    header(ws, 3, labels)
    for r, ((key, members), name) in enumerate(zip(grouped.items(), names, strict=True), start=4):
        totals = [o.row["总分"] for o in members]  # type: ignore[index]
        values = (key[0], members[0].profile_title or members[0].profile, len(members),
                  round(sum(totals) / len(totals), 2), max(totals), min(totals), name)
        for c, value in enumerate(values, start=1):
            _put(ws.cell(r, c), value, SCORE_FORMAT if 4 <= c <= 6 else None, CENTER if c != 2 else None)
    widths(ws, {"A": 8, "B": 50, "C": 8, "D": 9, "E": 9, "F": 9, "G": 24})
    finish_sheet(ws, landscape=True, title_rows="1:3", protect=False)


def _distribution(ws, grouped: dict) -> None:
    """Grades down, one 单位数/占比 pair of columns per ranking; one chart series per ranking."""
    names = tuple(dict.fromkeys(g for _, members in grouped.items() for g in grades(members)))
    several = len(grouped) > 1
    labels = ["等级"]
    for key, members in grouped.items():
        prefix = f"{_label(key, members)} " if several else ""
        labels += [f"{prefix}单位数", f"{prefix}占比" if not several else "占比"]
    title(ws, "评价等级分布", len(labels))
    header(ws, 3, tuple(labels))
    for n, (_, members) in enumerate(grouped.items()):
        for r, (grade, count, share) in enumerate(grade_counts(ranked(members), names), start=4):
            body(ws.cell(r, 1), grade, align=CENTER)
            body(ws.cell(r, 2 + 2 * n), count, align=CENTER)
            body(ws.cell(r, 3 + 2 * n), share, RATE_FORMAT, CENTER)
    chart = BarChart()
    chart.type, chart.title = "col", "各等级单位数"
    for n in range(len(grouped)):
        chart.add_data(Reference(ws, min_col=2 + 2 * n, min_row=3, max_row=3 + len(names)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=3 + len(names)))
    if not several:
        chart.legend = None
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = chart.dataLabels.showCatName = chart.dataLabels.showLegendKey = False
    chart.height, chart.width = 7, 12 + 4 * (len(grouped) - 1)
    ws.add_chart(chart, f"{L.col(len(labels) + 2)}3")
    widths(ws, {L.col(c): 8 if c == 1 else 14 if several else 8 for c in range(1, len(labels) + 1)})
    finish_sheet(ws, protect=False)


def _losses(ws, grouped: dict) -> None:
    """One block per ranking: indicators weakest first, and a chart of the ten weakest."""
    r = 1
    for key, members in grouped.items():
        frame = losses(members)
        heading = f"指标失分分析（{_label(key, members)}，{len(members)}个单位）"
        if r == 1:
            title(ws, heading, len(frame.columns))
        else:  # a later block: a bold heading of its own (the sheet's title row is the first block's)
            ws.cell(r, 1, heading).font = HEADER_FONT
        ws.cell(r + 1, 1, "按平均得分率从低到高排列；失分单位数为得分低于分值的单位数；"
                          "“按填报数据计分未得满分”指按比率等填报数据计分而未得满分（不是扣分记录中的扣分）。")
        start = r + 2
        end = _table(ws, start, frame)
        chart = BarChart()
        chart.type, chart.title, chart.legend = "bar", "平均得分率最低的指标", None
        shown = min(10, len(frame))
        chart.add_data(Reference(ws, min_col=7, min_row=start, max_row=start + shown), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=4, min_row=start + 1, max_row=start + shown))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.y_axis.number_format = "0%"
        chart.x_axis.scaling.orientation = "maxMin"  # the weakest on top, as in the table
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, f"{L.col(len(frame.columns) + 2)}{start}")
        r = max(end, start + 17) + 2  # the next block below this one's chart
    finish_sheet(ws, landscape=True, protect=False)


def _conflicts(ws, duplicates: list[Duplicate], identities: list[str]) -> None:
    """Below the 汇总 table: copies of one unit and year whose totals differ, both files and
    both totals, which one was kept and why, and 单位编码 against 单位名称 — for the bureau to
    decide, never resolved silently."""
    conflicts = [d for d in duplicates if d.conflict]
    if not conflicts and not identities:
        return
    r, span = ws.max_row + 2, ws.max_column  # each line across the table, wrapped: readable on screen and in print
    total = sum(ws.column_dimensions[L.col(c)].width or 8 for c in range(1, span + 1))

    def line(at: int, text: str) -> None:
        _put(ws.cell(at, 1), text)
        ws.cell(at, 1).alignment = WRAP_TOP
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=span)
        ws.row_dimensions[at].height = text_height({"A": text}, {"A": total})

    heads = ([f"{len(conflicts)} 个同一单位同一年度的副本总分不同，排名按保留的文件计，请评价机构确认"] if conflicts else []) \
        + ([f"{len(identities)} 处单位编码与单位名称不一致"] if identities else [])
    line(r, "冲突：" + "；".join(heads))
    ws.cell(r, 1).font = HEADER_FONT
    for n, text in enumerate(identities, start=r + 1):
        line(n, text)
    r += len(identities)
    for n, d in enumerate(conflicts, start=r + 1):
        row, kept = d.outcome.row or {}, d.kept.row or {}
        line(n, f"{row.get('单位名称')} {row.get('年度') or ''}年度：保留 {d.kept.file}（总分 {kept.get('总分'):.2f}"
                f"{'，定稿' if d.kept.final else ''}），另有 {d.outcome.file}（总分 {row.get('总分'):.2f}"
                f"{'，定稿' if d.outcome.final else ''}）；{d.reason}")


def _duplicates(ws, duplicates: list[Duplicate]) -> None:
    labels = ("文件", "单位名称", "年度", "总分", "未计入排名的原因")
    title(ws, "重复的文件（同一单位同一年度，未计入排名）", len(labels))
    header(ws, 3, labels)
    for r, d in enumerate(duplicates, start=4):
        row = d.outcome.row or {}
        for c, value in enumerate((d.outcome.file, row.get("单位名称"), row.get("年度"), row.get("总分"), d.reason), start=1):
            _put(ws.cell(r, c), value, SCORE_FORMAT if c == 4 else None, CENTER if c in (3, 4) else None)
    if not duplicates:
        body(ws.cell(4, 1), "（无）")
    widths(ws, {"A": 30, "B": 28, "C": 7, "D": 9, "E": 80})
    finish_sheet(ws, landscape=True, title_rows="1:3", protect=False)


def write_summary(outcomes: list[Outcome], out: Path, inputs: Sequence[Path] = ()) -> Path:
    kept, duplicates = deduplicate(outcomes)
    grouped = groups(kept)
    failed = [o for o in outcomes if o.row is None]
    note = (f"共 {len(outcomes)} 个文件：已评分 {len(outcomes) - len(failed)} 个，未能评分 {len(failed)} 个（见“未能评分”表）"
            + (f"；其中 {len(duplicates)} 个是同一单位同一年度的重复文件，未计入排名（见“重复文件”表）" if duplicates else ""))
    wb = Workbook()
    names = _sheet_names(grouped)
    first = wb.active
    if len(grouped) == 1:
        first.title = "汇总"
        _ranking(first, *next(iter(grouped.items())), note)
    else:
        first.title = "汇总"
        _overview(first, grouped, names, note)
        for name, (key, members) in zip(names, grouped.items(), strict=True):
            _ranking(wb.create_sheet(name), key, members, note)
    _conflicts(first, duplicates, identity_conflicts(outcomes))
    _distribution(wb.create_sheet("等级分布"), grouped)
    _losses(wb.create_sheet("指标失分分析"), grouped)
    _duplicates(wb.create_sheet("重复文件"), duplicates)

    bad = wb.create_sheet("未能评分")
    title(bad, "未能评分的文件", 2)
    header(bad, 3, ("文件", "原因"))
    for r, o in enumerate(failed, start=4):
        _put(bad.cell(r, 1), o.file)
        _put(bad.cell(r, 2), o.reason)
    if not failed:
        body(bad.cell(4, 1), "（无）")
    widths(bad, {"A": 30, "B": 90})
    finish_sheet(bad, landscape=True, title_rows="1:3", protect=False)
    return write_atomic(out, wb.save, inputs=inputs, suffix=".xlsx")
