"""Lay out ``ReportContent`` as a Word document in 公文 style (GB/T 9704 page and fonts):
A4, 仿宋 三号 body with 28 pt lines, 黑体/楷体 headings, 小标宋-like bold title; tables in
五号 with rows that never split across pages and header rows repeated on every page; a
bar chart of section scores against full marks drawn with shaded table cells, so it needs
no image library and no CJK font at build time (Word renders the labels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal
from itertools import count
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from addin.report.content import ReportContent, pts, share
from addin.report.model import Table
from addin.workbook.cell_text import xml_safe
from udfs.money import ZERO, fmt_num

BODY, HEI, KAI, SONG = "仿宋", "黑体", "楷体", "宋体"
SIZE_TITLE, SIZE_BODY, SIZE_TABLE = Pt(22), Pt(16), Pt(10.5)  # 二号, 三号, 五号
BAR_CELLS = 20  # one cell per 5% of full marks
BAR_SCORED, BAR_REST = "2F5597", "D9E1F2"


def _font(run, name: str, size=None, bold: bool | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)


LINE = Pt(28)  # 公文: fixed 28 pt lines
def _printable(text: str) -> str:
    """Text as Word can hold it: a pasted CR (Excel's _x000D_) is a line break, as Excel shows
    it; other control characters (a vertical tab) a space."""
    return xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))


def _para(doc_or_cell, text: str, font: str = BODY, size=SIZE_BODY, bold=False, align=None,
          indent: bool = True, exact: Pt | None = LINE, style: str | None = None):
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    _font(p.add_run(_printable(text)), font, size, bold)
    fmt = p.paragraph_format
    if exact is not None:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, exact
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)  # 首行缩进两字
    if align is not None:
        p.alignment = align
    return p


def _setup(doc) -> None:
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(footer.add_run("— "), SONG, Pt(14))
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
        _font(footer.add_run(" —"), SONG, Pt(14))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY, SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY)


def _heading(doc, text: str, level: int):
    # Word's heading styles keep the navigation pane and outline; the look is 公文's
    p = _para(doc, text, HEI if level == 1 else KAI, SIZE_BODY, style=f"Heading {level}")
    p.paragraph_format.keep_with_next = True
    return p


def _no_split(row, header: bool = False) -> None:
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, text: str, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    for extra in cell.paragraphs[1:]:  # a merge keeps every merged cell's paragraph
        extra._p.getparent().remove(extra._p)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.text = ""
    _font(p.add_run(_printable(text)), BODY if not bold else HEI, SIZE_TABLE, False)
    p.alignment = align
    fmt = p.paragraph_format
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _shade(cell, color: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)


def _keep_together(table) -> None:
    """A short table stays on one page: every row keeps with the next."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _widths(table, widths: tuple[float, ...]) -> None:
    """Fixed column widths (Word and LibreOffice otherwise autofit to the text)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _table(doc, header: tuple[str, ...], rows: Sequence[tuple], widths: tuple[float, ...]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, label, bold=True)
    _no_split(table.rows[0], header=True)
    for values in rows:
        row = table.add_row()
        row.height, row.height_rule = Cm(0.6), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, str(value))
        _no_split(row)
    _widths(table, widths)
    return table


def _caption(doc, text: str) -> None:
    p = _para(doc, text, HEI, SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, exact=None)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)


def _figures_table(doc, table: Table, number: int) -> None:
    _caption(doc, f"表{number}  {table.caption}（单位：万元）")
    _keep_together(_table(doc, table.header, table.rows, table.widths))


def _section_table(doc, content: ReportContent, number: int) -> None:
    rows = [(s, fmt_num(w), pts(p), share(p, w)) for s, w, p in content.section_scores]
    rows.append(("合计", fmt_num(sum((w for _, w, _ in content.section_scores), ZERO)), pts(content.total),
                 f"等级：{content.grade}"))
    _caption(doc, f"表{number}  各一级指标得分")
    _keep_together(_table(doc, ("一级指标", "满分", "得分", "得分率"), rows, (3.5, 3, 3, 3.5)))


def bar_cells(points, weight) -> int:
    """Dark cells of a section's bar: the share of full marks in whole 5% steps, rounded down,
    so only full marks draw a full bar (97.9% is 19 of 20 cells, not 20)."""
    if not weight:
        return 0
    return int((Decimal(points) / Decimal(weight) * BAR_CELLS).to_integral_value(rounding=ROUND_FLOOR))


def _section_chart(doc, content: ReportContent) -> None:
    """Horizontal bars: one row per 一级指标, 20 cells = full marks, dark cells = scored."""
    _caption(doc, "图1  各一级指标得分与满分（每格为满分的5%）")
    table = doc.add_table(rows=0, cols=BAR_CELLS + 2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for section, weight, points in content.section_scores:
        row = table.add_row()
        row.height, row.height_rule = Cm(0.7), WD_ROW_HEIGHT_RULE.EXACTLY
        _no_split(row)
        cells = row.cells
        _cell_text(cells[0], section)
        filled = bar_cells(points, weight)
        for n in range(BAR_CELLS):
            _shade(cells[1 + n], BAR_SCORED if n < filled else BAR_REST)
        _cell_text(cells[-1], f"{pts(points)}/{fmt_num(weight)}（{share(points, weight)}）",
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    _widths(table, (1.4,) + (0.45,) * BAR_CELLS + (4.6,))
    _keep_together(table)


SCORE_HEADER = ("一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准", "评价依据", "评分")
SCORE_WIDTHS = (2.0, 2.2, 2.8, 1.4, 5.0, 7.1, 2.8, 1.6)  # landscape A4: 24.9 cm; "95.51" on one line


def _score_table(doc, content: ReportContent) -> None:
    """附件1 with the seed's 8 columns. 一级/二级 labels carry their points ("投入（14分）") and
    stand on every row: a row whose merged label began on the previous page would print
    without it (Word, WPS and LibreOffice each break a long table differently)."""
    w = content.level_weights
    rows = [(f"{r.level1}（{fmt_num(w.get(r.level1, r.weight))}分）",
             f"{r.level2}（{fmt_num(w.get(f'{r.level1}/{r.level2}', r.weight))}分）", r.name, fmt_num(r.weight),
             r.explain, r.standard, r.evidence, pts(r.score)) for r in content.score_rows]
    rows.append(("合计", "", "", fmt_num(sum((r.weight for r in content.score_rows), ZERO)), "", "", "", pts(content.total)))
    rows.append(("评价等级", "", "", "", "", "", "", content.grade))
    table = _table(doc, SCORE_HEADER, rows, SCORE_WIDTHS)
    for row in table.rows[1:]:
        for column in (4, 5, 6):  # long texts read left-aligned
            cell = row.cells[column]
            _cell_text(cell, cell.text, align=WD_ALIGN_PARAGRAPH.LEFT)
    total, grade = len(rows) - 1, len(rows)
    _cell_text(table.cell(total, 0).merge(table.cell(total, 2)), "合计")  # its 分值 (100) stays in column 4
    _cell_text(table.cell(total, 4).merge(table.cell(total, 6)), "")
    _cell_text(table.cell(grade, 0).merge(table.cell(grade, 6)), "评价等级")


def _orientation(doc, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.4)
    else:  # back to the 公文 page of the body
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def write_report(content: ReportContent, out: Path) -> Path:
    doc = Document()
    _setup(doc)
    for line in content.heading_lines:  # 文号
        _para(doc, line, BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title = _para(doc, content.title, SONG, SIZE_TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                  indent=False, exact=None)
    title.paragraph_format.space_after = Pt(18)
    if content.opening:
        _para(doc, content.opening)
    numbers = count(1)  # 表1, 表2 … in reading order

    def body(section) -> None:
        for text in section.paragraphs:
            _para(doc, text)
        for table in section.tables:
            _figures_table(doc, table, next(numbers))

    for section in content.sections:
        _heading(doc, section.heading, 1)
        body(section)
        if section.scores:
            _section_table(doc, content, next(numbers))
            _section_chart(doc, content)
        for sub in section.subsections:
            if sub.heading:
                _heading(doc, sub.heading, 2)
            body(sub)
    for n, line in enumerate(content.closing):  # 附件：1. …  2. … aligned under the first
        p = _para(doc, line, indent=True)
        if n:
            p.paragraph_format.first_line_indent = Pt(SIZE_BODY.pt * 5)
    for line in content.signature:
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _orientation(doc, landscape=True)
    _heading(doc, "附件1", 1)
    _para(doc, f"{content.title.removesuffix('报告')}指标评分表", SONG, Pt(16), bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _score_table(doc, content)
    _orientation(doc, landscape=False)
    _heading(doc, "附件2", 1)
    _para(doc, f"{content.title.removesuffix('报告')}评分说明", SONG, Pt(16), bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for text in content.notes:
        _para(doc, text)
    _properties(doc, content)
    doc.save(str(out))
    return out


def _properties(doc, content: ReportContent) -> None:
    """文件→属性 as a reader of a government document expects: its title, its author (the
    evaluating body, or the unit), Chinese as its language; no library's name (python-docx's
    template says "generated by python-docx", by "python-docx", in en-US, of 2013)."""
    props = doc.core_properties
    props.title = _printable(content.title)[:255]  # the document property's limit
    props.author = props.last_modified_by = _printable(content.author)[:255]
    props.subject = "部门整体支出绩效评价"
    props.comments = props.keywords = props.category = ""
    props.language = "zh-CN"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1
    for lang in doc.styles.element.iter(qn("w:lang")):  # the document default: 中文 for proofing and fonts
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
