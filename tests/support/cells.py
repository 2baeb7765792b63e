"""Where a test finds a cell of ours: from the layout, never a column letter, so that moving a
column touches the layout only (moving 评分表's score column from G to H once touched 13 test
files). Versions other than the current one are asked for by name (0.4–0.6 scored in G)."""

from __future__ import annotations

from addin.workbook import layout as L
from addin.workbook import versions
from udfs.profile import load_profile


def layout(version: str = versions.CURRENT, profile: str | None = None) -> L.Layout:
    return L.Layout(load_profile(profile), version)


def score(no: int, version: str = versions.CURRENT) -> str:
    """评分表's score cell of indicator ``no``."""
    return L.at(layout(version).score, L.row_of(no))


def total(version: str = versions.CURRENT) -> str:
    """评分表's 合计 score (the row below the last indicator); its 评价等级 is one row lower."""
    lay = layout(version)
    return L.at(lay.score, lay.last_row + 1)


def grade(version: str = versions.CURRENT) -> str:
    lay = layout(version)
    return L.at(lay.score, lay.last_row + 2)


def summary(key: str) -> str:
    """汇总's 得分 of a section, 合计 or 评价等级."""
    return layout().summary_cell(key)


def basis(no: int) -> str:
    """评分说明's 评分依据 of indicator ``no``."""
    return L.at(L.NOTES_BASIS, L.row_of(no))


def reasons(no: int) -> str:
    return L.at(L.NOTES_REASONS, L.row_of(no))


def value1(no: int) -> str:
    """指标计算's 取值一 of indicator ``no``."""
    return L.at(L.Layout.VALUE1, L.row_of(no))
