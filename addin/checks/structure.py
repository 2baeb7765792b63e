"""V5xx: the workbook is the template it declares — what preval reads is what a person sees.

For the template version a workbook declares, every contract name must refer to exactly its
template cell (``layout.Layout.contract_cells``): a name re-pointed to a hidden column or to
another sheet would have preval and the workbook's own formulas score figures nobody sees
in the yellow cells. A sheet-scoped name of the same name shadows the workbook's on its sheet
(LibreOffice and Excel then compute with it). preval's sheets are found by their exact
names: another sheet whose name only looks the same, or one of ours hidden, means the eye
and the program read different sheets.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from addin.books.protocol import ReadBook, parse_cell_ref
from addin.case import Case
from addin.checks import Problem, problem, shown
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.number_format import misleads
from udfs.contract import BY_NAME
from udfs.engine import Evaluation
from udfs.profile import Profile

# characters that show as nothing, or as a mere space, where a sheet's name is printed on its tab
INVISIBLE = frozenset("\u00a0\u2007\u202f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                      "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
                      "\u3164\ufeff\uffa0")


def looks(name: str) -> str:
    """A name as the eye reads it: without invisible characters (zero-width, bidi marks,
    no-break spaces), NFKC (full-width and compatibility forms), trimmed, without regard to
    case (Excel compares sheet names so)."""
    text = "".join(ch for ch in name if ch not in INVISIBLE)
    return unicodedata.normalize("NFKC", text).strip().casefold()


def spelled(text: str, spaces: bool = False) -> str:
    """``text`` with every character the eye cannot see written <U+XXXX> (``spaces``: white space too)."""
    return "".join(f"<U+{ord(ch):04X}>" if not ch.isprintable() or ch in INVISIBLE or (spaces and ch.isspace()) else ch
                   for ch in text)


def _absolute(text: str) -> bool:
    """A name's reference holds both $: a relative one moves with the cell it is used in."""
    ref = text.rsplit("!", 1)[-1]
    return ref.count("$") == 2 and ref.startswith("$")


def check_names(book: ReadBook, profile: Profile, version: str) -> list[Problem]:
    """V501 a contract name missing or referring elsewhere; V502 a sheet-scoped name of the
    same name."""
    out: list[Problem] = []
    expected = L.Layout(profile, version).contract_cells()
    if _misplaced(book, expected):
        fits = [v for v in versions.SUPPORTED if v != version and _fits(book, expected, L.Layout(profile, v).contract_cells())]
        if fits:  # the version cell was changed, not the names: one finding, not fifteen
            sheet, cell = L.GUIDE, L.GUIDE_CELLS[L.VERSION_NAME]
            which = " 或 ".join(fits)  # two versions may place every name alike
            return [problem("V501", sheet, cell, L.VERSION_NAME,
                            f"“模板版本”写的是 {version}，但工作簿的名称是 {which} 版模板的布局：模板版本单元格被改动过，"
                            f"请改回原来的版本（{which}）", which, version)]
    for name, (sheet, cell) in expected.items():
        where = f"'{sheet}'!${cell.rstrip('0123456789')}${cell.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"
        text = book.name_text(name)
        if text is None:
            out.append(problem("V501", sheet, cell, name, f"名称“{name}”不存在，应指向 {sheet}!{cell}", where, "（无）"))
            continue
        target = parse_cell_ref(text)
        if target != (sheet, cell) or not _absolute(text):
            out.append(problem("V501", sheet, cell, name, f"名称“{name}”指向 {text}，应指向 {sheet}!{cell}"
                               "（preval 和工作簿公式都按名称取数，黄色单元格中的数字不会被计算）", where, text))
    contract = {n.casefold(): n for n in expected}
    for sheet, name, text in book.local_names():
        ours = contract.get(name.casefold())
        if ours is not None:
            at = expected[ours]
            out.append(problem("V502", *at, ours, f"工作表“{sheet}”另有一个名为“{name}”的名称（指向 {text}），"
                               f"在该表中它代替工作簿的“{ours}”参与计算", "只有工作簿级的名称", f"{sheet}!{name}"))
    return out


def _fits(book: ReadBook, expected: dict[str, tuple[str, str]], other: dict[str, tuple[str, str]]) -> bool:
    """Every name lies where the layout ``other`` puts it, and the book has none of the names
    ``other``'s version did not have yet: a name added later (0.10's 基本支出情况, appended
    after every other) pointing elsewhere is that name's fault, not the version cell's."""
    return not _misplaced(book, other) and all(book.name_text(n) is None for n in expected if n not in other)


def _misplaced(book: ReadBook, expected: dict[str, tuple[str, str]]) -> bool:
    """Some name of ``expected`` missing or not referring to its cell."""
    for name, at in expected.items():
        text = book.name_text(name)
        if text is None or parse_cell_ref(text) != at:
            return True
    return False


def check_sheets(book: ReadBook) -> list[Problem]:
    """V503 a sheet whose name only looks like one of ours; V504 one of ours hidden; V505 a
    user's own veryHidden sheet."""
    out: list[Problem] = []
    states = book.sheet_states()
    ours = {looks(s): s for s in L.SHEETS}
    for sheet, state in states.items():
        twin = ours.get(looks(sheet))
        if twin is not None and sheet != twin:
            shown = spelled(sheet)
            out.append(problem("V503", sheet, "", twin, f"工作表“{shown}”与程序的工作表“{twin}”名称相似但不相同，"
                               "看到的和计算的可能不是同一张表", f"只有一张“{twin}”", shown))
        elif sheet in L.SHEETS and state != "visible":
            out.append(problem("V504", sheet, "", sheet, f"程序的工作表“{sheet}”被隐藏（{_STATE[state]}），"
                               "请取消隐藏后核对其中的数字", "显示", _STATE[state]))
        elif twin is None and state == "veryHidden":
            out.append(problem("V505", sheet, "", sheet, f"工作簿中有一张自行添加的深度隐藏工作表“{sheet}”"
                               "（Excel 的“取消隐藏”列表中不显示），请确认其用途", "无", _STATE[state]))
    return out


_STATE = {"hidden": "隐藏", "veryHidden": "深度隐藏（veryHidden）", "visible": "显示"}


def check_formats(book: ReadBook, case: Case) -> list[Problem]:
    """V506: an input or 扣分 cell whose number format shows something other than its value
    (a literal, nothing, ÷1000, a unit word, another section by a condition). The template's
    own formats are fine: they show the value."""
    looked: list[tuple[str, str, str, object, str]] = []  # sheet, cell, what, value, the template's format
    for name, loc in case.inputs.items():
        looked.append((loc.sheet, loc.cell, name, loc.value, L.input_format(BY_NAME[name])))
    points = L.FINDINGS_COLUMNS["扣分"]
    for row, values in case.findings:
        looked.append((L.FINDINGS, f"{L.col(points)}{row}", f"扣分记录第{row}行的扣分", values[points - 1],
                       L.FINDINGS_POINTS_FORMAT))
    looked = [x for x in looked if x[3] not in (None, "") and not (isinstance(x[3], str) and x[3].startswith("="))]
    formats: dict[tuple[str, str], str] = {}
    for sheet in dict.fromkeys(x[0] for x in looked):
        asked = {cell: template for s, cell, _, _, template in looked if s == sheet}
        formats.update({(sheet, cell): code for cell, code in book.number_formats(sheet, asked).items()})
    out: list[Problem] = []
    for sheet, cell, name, value, template in looked:
        code = formats[(sheet, cell)]
        why = misleads(code, value, frozenset({template}))
        if why:
            out.append(problem("V506", sheet, cell, name, f"{name}的单元格格式“{code}”{why}：打印和屏幕上看到的不是"
                               f"参与计算的数值 {shown(value)}", "显示数值本身的格式", code))
    return out


def check_saved(book: ReadBook, profile: Profile, version: str, ev: Evaluation) -> list[Problem]:
    """V413: a result on 汇总 saved with another value than the workbook computes — what a
    workbook linking to 总分, or a reader that does not recalculate, shows."""
    layout = L.Layout(profile, version)
    out: list[Problem] = []
    computed: dict[str, object] = {**{s: ev.sections[s] for s in layout.sections}, "合计": ev.total, "评价等级": ev.grade}
    for key, value in computed.items():
        cell = layout.summary_cell(key)
        saved = book.saved_value(L.SUMMARY, cell)
        if saved is None or saved in ("", L.NOT_COMPUTED):  # never computed: nobody takes that for a score
            continue
        if isinstance(value, str):
            differs = str(saved).strip() != value
        else:
            number = isinstance(saved, (int, float)) and not isinstance(saved, bool)
            differs = not number or abs(Decimal(str(saved)) - Decimal(str(value))) >= Decimal("0.005")
        if differs:
            what = "评价等级" if key == "评价等级" else "总分" if key == "合计" else f"{key}得分"
            out.append(problem("V413", L.SUMMARY, cell, what, f"汇总!{cell} 保存的{what}为 {shown(saved)}，按工作簿数据计算为 "
                               f"{shown(value)}：链接此单元格的其他工作簿和不重新计算的软件显示的是保存的数值", shown(value), saved))
    return out


def check_reach(book: ReadBook) -> list[Problem]:
    """V507: each place the file makes Excel contact on opening (the bureau's PC, not the
    department's, is the one that will)."""
    return [problem("V507", L.GUIDE, "", what, f"打开此文件时 Excel 会访问外部位置：{where[:120]}（{what}）",
                    "无外部位置", where) for what, where in book.reaches_out()]


def check_template(book: ReadBook, profile: Profile, version: str) -> list[Problem]:
    return check_sheets(book) + check_names(book, profile, version) + check_reach(book)
