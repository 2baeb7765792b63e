"""What a report is, as plain data: sections of headings, paragraphs and tables, 附件1's rows,
附件2's paragraphs. ``content`` and ``self_report`` fill it from an evaluation, ``word`` lays
it out; the inputs' texts are read here the one way both reports use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from udfs.inputs import Inputs


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    scores: bool = False  # the section-score table and chart follow its paragraphs
    tables: list[Table] = field(default_factory=list)  # after its paragraphs, numbered in reading order


@dataclass(frozen=True)
class Table:
    """A figures table of the report body: its caption (numbered when laid out: 表2 … , with the
    unit), header, rows of text and column widths in cm."""

    caption: str
    header: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    widths: tuple[float, ...]


@dataclass(frozen=True)
class ScoreRow:
    """One row of 附件1, the seed's 8 columns."""

    level1: str
    level2: str
    name: str
    weight: Decimal
    score: Decimal
    explain: str = ""
    standard: str = ""
    evidence: str = ""


@dataclass
class ReportContent:
    title: str
    sections: list[Section]
    section_scores: list[tuple[str, Decimal, Decimal]]  # (一级指标, 满分, 得分)
    total: Decimal
    grade: str
    score_rows: list[ScoreRow]  # 附件1
    notes: list[str]  # 附件2, paragraph by paragraph
    opening: str = ""  # the paragraph before 一、 citing the governing documents
    closing: list[str] = field(default_factory=list)  # the 附件 list
    signature: list[str] = field(default_factory=list)  # evaluating body and date, right-aligned
    heading_lines: list[str] = field(default_factory=list)  # 文号, above the title
    level_weights: dict[str, Decimal] = field(default_factory=dict)
    author: str = ""  # the document's author: the evaluating body, or the unit for a 自评报告

    def pending(self) -> list[str]:
        """What is still to be written: the X of every 【待填写：X】 in the report, once each, in
        reading order."""
        texts = [*self.heading_lines, self.opening, *self.closing, *self.signature, *self.notes]
        texts += [text for section in self.walk() for text in (section.heading, *section.paragraphs)]
        found = [m for text in texts for m in re.findall(r"【待填写：(.+?)】", text)]
        for table in (t for section in self.walk() for t in section.tables):  # a figure not entered: per table
            blanks = sum(cell == "【待填写】" for row in table.rows for cell in row)
            if blanks:
                found.append(f"{table.caption}表{blanks}处空白")
        return list(dict.fromkeys(found))

    def walk(self) -> list[Section]:
        """Every section and subsection, in reading order."""
        out, stack = [], list(reversed(self.sections))
        while stack:
            section = stack.pop()
            out.append(section)
            stack += reversed(section.subsections)
        return out


TODO = "【待填写：{}】"


def given(x: Inputs, name: str) -> str | None:
    value = x[name]
    return str(value).strip() if value not in (None, "") else None


def text_or_todo(x: Inputs, name: str, what: str = "") -> list[str]:
    """The lines of a 报告内容 text, or one visible marker naming what to write there."""
    value = given(x, name)
    if value is None:
        return [TODO.format(what or name)]
    return lines_of(value)


def lines_of(text: str) -> list[str]:
    """A typed text's paragraphs: its non-empty lines (a cell's Alt+Enter, or CR from a Mac)."""
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def states(text: str, number: str) -> bool:
    """``number`` in ``text`` as a number of its own ("20" is not in "2020年" or "120人")."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text) is not None
