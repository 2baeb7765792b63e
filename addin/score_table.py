"""The score table as the terminal shows it (rich), Chinese headers, 附件1 order."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from udfs.engine import Evaluation
from udfs.money import ZERO, fmt_num, fmt_pct


def render(ev: Evaluation, console: Console, title: str = "") -> None:
    table = Table(title=title or f"{ev.unit} {ev.year or ''}年度部门整体支出绩效评价评分表",
                  show_lines=False, header_style="bold")
    for header in ("序号", "一级指标", "二级指标", "三级指标", "分值", "比率", "得分"):
        table.add_column(header, justify="left" if header.endswith("指标") else "right", overflow="fold")
    section = None
    for r in ev.indicators:
        if section and r.level1 != section:
            _subtotal(table, ev, section)
        section = r.level1
        table.add_row(str(r.no), r.level1, r.level2, r.name, fmt_num(r.weight),
                      fmt_pct(r.rate) if r.rate is not None else "", f"{r.score:.2f}")
    if section:
        _subtotal(table, ev, section)
    weight = sum(ev.section_weights.values(), ZERO)
    table.add_row("", "[bold]合计[/]", "", "", fmt_num(weight), "", f"[bold]{ev.total:.2f}[/]")
    console.print(table)
    step = "（因严重违纪下调一个等级）" if ev.serious_violation else ""
    console.print(f"总分 [bold]{ev.total:.2f}[/] 分，评价等级 [bold]{ev.grade}[/]{step}")


def _subtotal(table: Table, ev: Evaluation, section: str) -> None:
    table.add_row("", f"[bold]{section}小计[/]", "", "", fmt_num(ev.section_weights[section]), "",
                  f"[bold]{ev.sections[section]:.2f}[/]", end_section=True)
