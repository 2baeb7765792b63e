"""Every file of one import read, and what it gives: the figures (the first file that states
one wins; another stating it differently is a 不符), the problems, the tables found."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from addin.accounts import catalogue as K
from addin.accounts.figures import PICKS, Figure, Problem, code_lines, pick, table_place, three_public
from addin.accounts.identities import check
from addin.accounts.narrative import sentences
from addin.accounts.source import Source
from addin.accounts.tables import Table, plain
from addin.errors import BadFile

FORMATS = {".pdf": "pdf", ".html": "web", ".htm": "web", ".xlsx": "sheets", ".xlsm": "sheets", ".xls": "sheets"}


@dataclass
class Taken:
    figures: dict[str, Figure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)  # (kind, table)


def read_file(path: Path) -> Source:
    kind = FORMATS.get(path.suffix.lower())
    if kind == "pdf":
        from addin.accounts.pdf import read_pdf

        return read_pdf(path)
    if kind == "web":
        from addin.accounts.web import read_web

        return read_web(path)
    if kind == "sheets":
        from addin.accounts.sheets import read_sheets

        return read_sheets(path)
    raise BadFile(f"{path.name} 的格式无法导入（只能导入 PDF、网页 .html/.htm、Excel .xlsx/.xls）",
                  hint="网页上的决算可在浏览器中“另存为网页”；Word 文件请另存为 PDF")


def _figures_of(kind: str, table: Table, problems: list[Problem]) -> list[Figure]:
    found = [pick(table, p, problems) for p in PICKS if p.kind == kind]
    if kind == K.THREE:
        found += three_public(table, problems)
    if kind == K.BASIC:
        found += code_lines(table, problems)
    return [f for f in found if f is not None]


def _owner(table: Table) -> list[Figure]:
    """单位名称 and 评价年度 from a title that names them before the table's name."""
    owner = K.owner_of(table.title)
    return _named(owner, "表名", f"{table.source}{table.where}的表名“{plain(table.title)}”") if owner else []


def _cover(source: Source) -> list[Figure]:
    """单位名称 and 评价年度 from the first line that is a cover's or a page head's
    "…2024 年度部门决算(表)", where no table's title names them."""
    for where, text in source.texts:
        for line in text.splitlines():
            owner = K.owner_in_line(line)
            if owner:
                return _named(owner, "标题", f"{source.name}{where}“{line.strip()}”")
    return []


def _named(owner: tuple[str, int], said: str, where: str) -> list[Figure]:
    return [Figure("单位名称", owner[0], f"{said}中的单位", where, unit=""),
            Figure("评价年度", Decimal(owner[1]), f"{said}中的年度", where, unit="年")]


def _keep(taken: Taken, figure: Figure) -> None:
    first = taken.figures.get(figure.key)
    if first is None:
        taken.figures[figure.key] = figure
    elif first.value != figure.value:
        taken.problems.append(Problem("不符", figure.where, f"{figure.label} 为 {figure.shown()}，而"
                                      f"{first.where}为 {first.shown()}；导入的是后者，请核对"))


def take(paths: list[Path]) -> Taken:
    taken = Taken()
    for path in paths:
        source = read_file(path)
        for table in source.tables:
            kind = K.kind_of(table.title)
            if kind is None or any(k == kind for k, _ in taken.tables):
                continue  # one table of a kind: a second (a 预算公开 file's, a duplicate) is not read
            taken.tables.append((kind, table))
            for figure in _owner(table):
                _keep(taken, figure)
            if not table.unit and kind not in K.UNITLESS:
                taken.problems.append(Problem("错误", table_place(table, 0) if table.rows else table.source,
                                              f"《{plain(table.title)}》没有注明金额单位（“单位：万元”或“单位：元”），"
                                              "其中的数字未导入；请核对原表单位后手工填写"))
                continue
            for figure in _figures_of(kind, table, taken.problems):
                _keep(taken, figure)
        if "单位名称" not in taken.figures:
            for figure in _cover(source):
                _keep(taken, figure)
        figures, problems = sentences(source)
        taken.problems.extend(problems)
        for figure in figures:
            _keep(taken, figure)
    if not taken.tables and not taken.figures:
        names = "、".join(p.name for p in paths)
        raise BadFile(f"在 {names} 中没有找到部门决算的表格（如“收入支出决算总表”“支出决算表”）或决算说明中的标准语句",
                      hint="请选择部门决算公开文件（PDF、网页或 Excel）；表格须带标题，扫描件无法读取")
    taken.problems.extend(check({k: f for k, f in taken.figures.items() if f.unit == "万元"}))
    return taken
