"""``preval profile new``: a rubric as an editable workbook, pre-filled from an installed
rubric, which ``preval profile check`` passes unchanged."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from addin.books.atomic import write_atomic
from addin.rubric import columns as C
from addin.workbook.style import as_input, body, finish_sheet, header, title, widths
from udfs.profile import Profile
from udfs.profile.serialize import to_data
from udfs.rules import REGISTRY

WRAPPED = ("label", "bands", "map", "synonyms", "zero_if", "aliases", "standard", "explain", "evidence")
GUIDE = (
    "本工作簿是一套绩效评价指标体系（评分档案）。改好后运行：",
    "  preval profile check 本文件.xlsx      逐项检查，指出每个错误所在的单元格；",
    "  preval profile import 本文件.xlsx     安装到本机的评分档案文件夹，之后 preval new --profile 档案名称 即可使用。",
    "",
    "“档案”表：档案名称、标题、依据，以及几条计分约定。",
    "“指标”表：每个子项一行；一个三级指标的第一行填写序号、一级指标、二级指标、三级指标、指标分值和评分标准，",
    "  其余子项行这些列留空。各子项分值之和应等于指标分值（“各子项共用扣分上限”为“是”的除外）。",
    "计分方式（下拉选择）：",
    "  比率×分值：得分=比率×子项分值；超过100%得满分，填写“超出”两列时每超出一档扣分；“达到即满分”填 95% 则 95%及以上得满分。",
    "  不超过100%得满分：比率≤100%得满分，每超出一档（超出：每档幅度）扣“超出：每档扣分”。",
    "  超出或低于目标按档扣分：高于“超出：起点”每一档扣分，和/或低于“低于：目标值”每一档扣分，扣完为止。",
    "    例：三公经费变动率为正数每增加1个百分点扣0.5分：超出：每档幅度 1%，每档扣分 0.5，起点 0%。",
    "    例：执行率100%得满分，每低5%扣2分：低于：每档幅度 5%，每档扣分 2，目标值 100%。",
    "  分档计分：每行一档，写法 [下限,上限]=分值：说明。方括号含本数，圆括号不含，空着表示不限。",
    "    例：[0,0]=3：调整率为0计3分   (0,10%]=2   (10%,20%]=1   (20%,30%]=0.5   (30%,]=0",
    "  是否：按“比率或输入”中所选的是/否输入计分；等级计分：每行“等级=分值”，如 优秀=6。",
    "  每例扣分、全有或全无、一票否决、酌情扣分：由评价组在工作簿“扣分记录”表中逐条填写扣分。",
    "比率或输入：比率从下拉列表选择（评分时由工作簿中的数据计算）；是否、等级计分选择输入项名称。",
    "计0分的条件：每行一个，写法 比率名称>100%：说明，如 “三公经费”控制率>100%：完成数超过预算数计0分。",
    "“等级”表：每个等级的最低分（最低的等级为0）。“改进建议”表：某个三级指标失分时报告给出的建议（可不填）；只填二级指标、不填三级指标的一行，在该二级指标下的指标都失分时使用。",
)


def _fill(cell, value, fmt: str | None = None) -> None:
    as_input(cell)
    cell.value = value
    if fmt:
        cell.number_format = fmt


def _dropdown(ws, formula: str, cells: str) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="请从下拉列表选择", error="请从下拉列表中选择")
    ws.add_data_validation(dv)
    dv.add(cells)


def _lists(wb: Workbook) -> dict[str, str]:
    """Hidden 选项 sheet: the dropdowns' lists (a list longer than 255 characters cannot sit in
    the validation itself)."""
    ws = wb.create_sheet(C.LISTS)
    ws.sheet_state = "hidden"
    refs = {}
    for col, (key, values) in enumerate((("kind", list(C.KIND_NAMES.values())),
                                         ("source", [*C.RATE_NAMES.values(), *C.VALUE_INPUTS]),
                                         ("special", list(C.SPECIAL_NAMES.values())), ("yesno", [C.YES, C.NO])), start=1):
        for row, value in enumerate(values, start=1):
            ws.cell(row, col, value)
        letter = get_column_letter(col)
        refs[key] = f"'{C.LISTS}'!${letter}$1:${letter}${len(values)}"
    return refs


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def write_rubric(profile: Profile, out: Path) -> Path:
    data = to_data(profile)
    wb = Workbook()
    guide = wb.active
    guide.title = C.README
    title(guide, "评分档案工作簿 填写说明", 1)
    for row, line in enumerate(GUIDE, start=3):
        guide.cell(row, 1, line)
    widths(guide, {"A": 130})
    finish_sheet(guide, landscape=True, protect=False)
    refs = _lists(wb)

    head = wb.create_sheet(C.HEAD, 1)
    title(head, "评分档案", 3)
    header(head, 2, ("项目", "内容", "说明"))
    options = data["options"]
    rows = [(label, data["profile"].get(key, ""), hint) for key, label, hint in C.HEAD_ROWS]
    for key, label, hint in C.OPTION_ROWS:
        value = options[key]
        if isinstance(value, bool):
            value = C.YES if value else C.NO
        elif key == "adjust_parts":
            value = "、".join(value)
        elif key == "over_step":
            value = C.OVER_STEP_NAMES[value]
        rows.append((label, value, hint))
    for r, (label, value, hint) in enumerate(rows, start=3):
        body(head.cell(r, 1), label)
        _fill(head.cell(r, 2), value)
        body(head.cell(r, 3), hint)
    widths(head, {"A": 26, "B": 60, "C": 60})
    finish_sheet(head, landscape=True, protect=False)

    ws = wb.create_sheet(C.INDICATORS, 2)
    title(ws, f"指标体系（{profile.title}）", len(C.COLUMNS))
    header(ws, 2, tuple(h for _, h, _ in C.COLUMNS))
    r = C.FIRST_ROW
    for ind in data["indicator"]:
        for n, part in enumerate(ind["parts"]):
            values = _part_cells(part)
            if n == 0:
                values |= _indicator_cells(ind)
            for key, col in C.COLUMN.items():
                fmt = "0.##%" if key in C.PERCENT_KEYS else None
                cell = ws.cell(r, col)
                _fill(cell, _number(values.get(key)), fmt)
                if key in WRAPPED:  # several lines in one cell (bands, categories) and long texts
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    last = max(r - 1, C.FIRST_ROW) + 200  # room for the bureau's own rows
    for key, ref in (("kind", refs["kind"]), ("source", refs["source"]), ("zero_base", refs["special"]),
                     ("both_zero", refs["special"]), ("shared_cap", refs["yesno"])):
        letter = get_column_letter(C.COLUMN[key])
        _dropdown(ws, ref, f"{letter}{C.FIRST_ROW}:{letter}{last}")
    widths(ws, {get_column_letter(col): w for col, (_, _, w) in enumerate(C.COLUMNS, start=1)})
    ws.freeze_panes = "E3"
    finish_sheet(ws, landscape=True, protect=False)

    grades = wb.create_sheet(C.GRADES, 3)
    title(grades, "评价等级", 2)
    header(grades, 2, ("等级", "最低分"))
    for r, g in enumerate(data["grade"], start=3):
        _fill(grades.cell(r, 1), g["grade"])
        _fill(grades.cell(r, 2), g["min"])
    widths(grades, {"A": 10, "B": 10})
    finish_sheet(grades, protect=False)

    advice = wb.create_sheet(C.ADVICE, 4)
    title(advice, "改进建议（某个三级指标失分时报告给出的建议；只填二级指标的，在该二级指标下的指标都失分时使用）", 3)
    header(advice, 2, C.ADVICE_HEADER)
    level2 = {i["name"]: i["level2"] for i in data["indicator"]}
    for r, (key, text) in enumerate(data["advice"].items(), start=3):
        _fill(advice.cell(r, 1), level2.get(key, key))
        _fill(advice.cell(r, 2), key if key in level2 else None)
        _fill(advice.cell(r, 3), text)
    widths(advice, {"A": 12, "B": 24, "C": 110})
    finish_sheet(advice, landscape=True, protect=False)
    return write_atomic(out, wb.save, suffix=".xlsx")


def _indicator_cells(ind: dict) -> dict:
    out = {k: ind.get(k) for k in ("no", "level1", "level2", "name", "weight", "standard", "explain", "evidence")}
    out["aliases"] = "\n".join(ind.get("aliases", ())) or None  # an alias may itself hold "、"
    out["shared_cap"] = C.YES if ind.get("shared_cap") else None
    out["zero_if"] = "\n".join(f"{C.RATE_NAMES[c['rate']]}>{C.pct_text(Decimal(str(c['above'])))}"
                               + (f"：{c['label']}" if c.get("label") else "") for c in ind.get("zero_if", ())) or None
    return out


def _part_cells(part: dict) -> dict:
    """A part's row: what every part has, then the columns of its kind's fields."""
    rule = REGISTRY[part["kind"]]
    out: dict = {"id": part["id"], "label": part.get("label"), "kind": rule.title, "points": part.get("points"),
                 "choice": part.get("choice") or None}
    for field in rule.fields:
        out |= field.to_cells(part.get(field.key))
    return out
