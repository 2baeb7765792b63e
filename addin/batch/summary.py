"""The consolidated 汇总 workbook of a batch: one row per department ranked by total,
the grade distribution with a chart, and the files that could not be scored."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from addin.batch.run import TAIL, Outcome, columns
from addin.books.atomic import write_atomic
from addin.workbook import layout as L
from addin.workbook.cell_text import write_text_or_value
from addin.workbook.style import CENTER, RATE_FORMAT, SCORE_FORMAT, body, finish_sheet, header, title, widths

TEXT_COLUMNS = ("单位名称", "文件")
WIDTHS = {"排名": 6, "单位名称": 28, "年度": 7, "总分": 9, "等级": 6, "错误数": 7, "提示数": 7, "文件": 30}
NOT_SCORES = ("排名", "单位名称", "年度", *(c for c in TAIL if c != "总分"))


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
    write_text_or_value(cell, value)


def write_summary(outcomes: list[Outcome], out: Path, inputs: Sequence[Path] = ()) -> Path:
    frame = ranked(outcomes)
    failed = [o for o in outcomes if o.row is None]
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    labels = tuple(frame.columns)
    title(ws, f"部门整体支出绩效评价汇总（{len(frame)}个单位）", len(labels))
    ws.cell(2, 1, f"共 {len(outcomes)} 个文件：已评分 {len(frame)} 个，未能评分 {len(failed)} 个（见“未能评分”表）")
    header(ws, 3, labels)
    for r, values in enumerate(frame.itertuples(index=False), start=4):
        for c, (label, value) in enumerate(zip(labels, values, strict=True), start=1):
            fmt = SCORE_FORMAT if label not in NOT_SCORES else None
            _put(ws.cell(r, c), value.item() if hasattr(value, "item") else value, fmt,
                 CENTER if label not in TEXT_COLUMNS else None)
    widths(ws, {L.col(c): WIDTHS.get(label, 8) for c, label in enumerate(labels, start=1)})  # 8: a section
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{L.col(len(labels))}{max(3 + len(frame), 4)}"
    finish_sheet(ws, landscape=True, title_rows="1:3", protect=False)  # the bureau sorts and annotates it

    dist = wb.create_sheet("等级分布")
    title(dist, "评价等级分布", 3)
    header(dist, 3, ("等级", "单位数", "占比"))
    names = grades(outcomes)
    for r, (grade, count, share) in enumerate(grade_counts(frame, names), start=4):
        body(dist.cell(r, 1), grade, align=CENTER)
        body(dist.cell(r, 2), count, align=CENTER)
        body(dist.cell(r, 3), share, RATE_FORMAT, CENTER)
    chart = BarChart()
    chart.type, chart.title, chart.legend = "col", "各等级单位数", None
    chart.add_data(Reference(dist, min_col=2, min_row=3, max_row=3 + len(names)), titles_from_data=True)
    chart.set_categories(Reference(dist, min_col=1, min_row=4, max_row=3 + len(names)))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showSerName = chart.dataLabels.showCatName = chart.dataLabels.showLegendKey = False
    chart.height, chart.width = 7, 12
    dist.add_chart(chart, "E3")
    widths(dist, {"A": 8, "B": 8, "C": 8})
    finish_sheet(dist, protect=False)

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
