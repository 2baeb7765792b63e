"""``preval profile check``: a rubric workbook read back into the table ``parse_profile``
takes, with every mistake named in Chinese at its cell. The reader checks what it can see
cell by cell (a kind not in the list, a number that is text, a band written wrongly); the
loader then checks each indicator as a whole (sub-items adding up to the weight, a rule
missing its steps), and its message is given at the indicator's first row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from addin.errors import BadFile
from addin.rubric import columns as C
from udfs.contract import BY_NAME, MONEY
from udfs.errors import ProfileError
from udfs.profile import Profile
from udfs.profile.loading import _indicator, _options, parse_profile
from udfs.rules import REGISTRY


@dataclass
class Mistake:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass
class Reading:
    data: dict = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)
    profile: Profile | None = None


MAX_ROWS = 2000  # a rubric has a few dozen rows; a cell at row 1,048,576 must not cost a minute


def _last_row(sheet: _Sheet) -> int:
    """The last row to read: the sheet's, but at most MAX_ROWS; content beyond is a mistake."""
    ws = sheet.ws
    if ws.max_row <= MAX_ROWS:
        return ws.max_row
    beyond = min((row for (row, _), cell in ws._cells.items() if row > MAX_ROWS and cell.value not in (None, "")),
                 default=None)  # only the cells the file has: no walk over a million empty rows
    if beyond is not None and not any(m.where.startswith(f"{ws.title}!") and "行之后" in m.message
                                      for m in sheet.reading.mistakes):
        sheet.bad(beyond, 1, f"第{MAX_ROWS}行之后还有内容（第{beyond}行）：评分档案工作簿最多{MAX_ROWS}行，请删除多余的行")
    return MAX_ROWS


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


class _Sheet:
    def __init__(self, ws, reading: Reading):
        self.ws, self.reading = ws, reading

    def at(self, row: int, col: int) -> str:
        return f"{self.ws.title}!{self.ws.cell(row, col).coordinate}"

    def bad(self, row: int, col: int, message: str) -> None:
        self.reading.mistakes.append(Mistake(self.at(row, col), message))

    def number(self, row: int, col: int, what: str) -> Decimal | None:
        value = self.ws.cell(row, col).value
        if value is None or _text(value) == "":
            return None
        if isinstance(value, bool):
            self.bad(row, col, f"{what}应为数字")
            return None
        try:
            return Decimal(str(value)) if isinstance(value, (int, float)) else C.number(str(value))
        except ValueError:
            self.bad(row, col, f"{what}应为数字，填的是“{value}”")
            return None


def read_rubric(path: Path) -> Reading:
    import openpyxl

    from addin.books.file_guard import MAX_RUBRIC_CELLS, MAX_RUBRIC_ELEMENTS, check_package
    from addin.books.workbook_xml import read_map

    # the same bounds as every other command's file (no 57 s and MemoryError), and what openpyxl
    # can load whole within the bound: a rubric workbook has ~2,000 cells. Its sheets are known
    # before openpyxl parses anything: an evaluation workbook given by mistake is one sentence.
    package = check_package(path, max_cells=MAX_RUBRIC_CELLS)
    missing = [s for s in (C.HEAD, C.INDICATORS, C.GRADES) if s not in read_map(path).sheets]
    if missing:
        raise BadFile(f"{path.name} 不是评分档案工作簿（缺少工作表：{'、'.join(missing)}）",
                      hint="请用 preval profile new 生成评分档案工作簿后修改")
    if sum(package.elements.values()) > MAX_RUBRIC_ELEMENTS:
        raise BadFile(f"{path.name} 的内容过多（超过 {MAX_RUBRIC_ELEMENTS:,} 个单元格、数据验证、条件格式等元素），"
                      "不像是评分档案工作簿，为安全起见未打开",
                      hint="请用 preval profile new 生成评分档案工作簿后修改，与评分档案无关的内容请移到另一个工作簿")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one sentence to the user
        raise BadFile(f"无法读取评分档案工作簿 {path.name}（{type(exc).__name__}）",
                      hint="请确认是用 preval profile new 生成并在 Excel 中保存的 .xlsx 文件") from None
    missing = [s for s in (C.HEAD, C.INDICATORS, C.GRADES) if s not in wb.sheetnames]
    if missing:
        raise BadFile(f"{path.name} 缺少工作表：{'、'.join(missing)}", hint="请用 preval profile new 生成评分档案工作簿后修改")
    reading = Reading()
    head, options = _head(_Sheet(wb[C.HEAD], reading))
    try:
        parsed_options = _options(options)
    except ProfileError as exc:
        reading.mistakes.append(Mistake(f"{C.HEAD}!B", str(exc)))
        parsed_options = _options({})
    indicators = _indicators(_Sheet(wb[C.INDICATORS], reading), parsed_options)
    grades = _grades(_Sheet(wb[C.GRADES], reading))
    advice = _advice(_Sheet(wb[C.ADVICE], reading), indicators) if C.ADVICE in wb.sheetnames else {}
    reading.data = {"profile": head, "options": options, "grade": grades, "indicator": indicators, "advice": advice}
    if not reading.mistakes:
        try:
            reading.profile = parse_profile(reading.data, path.name)
            _fits_excel(reading)
        except ProfileError as exc:
            reading.mistakes.append(Mistake(path.name, str(exc).removeprefix(f"{path.name}: ")))
    return reading


def _fits_excel(reading: Reading) -> None:
    """The rubric compiles to worksheet formulas Excel can hold (a category with hundreds of
    synonyms would not): else a mistake at the indicator, and no profile."""
    from addin.workbook.native import oversized

    assert reading.profile is not None
    for ind, why in oversized(reading.profile):
        reading.mistakes.append(Mistake(f"{C.INDICATORS}（{ind.name}）", f"指标“{ind.name}”写成工作簿公式后{why}，请减少分档或同义词"))
    if reading.mistakes:
        reading.profile = None


def _head(sheet: _Sheet) -> tuple[dict, dict]:
    by_label: dict[str, int] = {}
    for r in range(3, _last_row(sheet) + 1):
        label = _text(sheet.ws.cell(r, 1).value)
        if label:
            by_label[label] = r
    head: dict = {}
    for key, label, _ in C.HEAD_ROWS:
        at = by_label.get(label, 3)
        given = _text(sheet.ws.cell(at, 2).value) if label in by_label else ""
        if key == "name":
            if not given:
                sheet.bad(at, 2, "请填写档案名称，如 yueyang-2024")
            elif not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in given):
                sheet.bad(at, 2, f"档案名称“{given}”只能用英文字母、数字、连字符和下划线（它是文件名，也写在每个工作簿里）")
        head[key] = given
    options: dict = {}
    for key, label, _ in C.OPTION_ROWS:
        if label not in by_label:
            continue
        row = by_label[label]
        raw = sheet.ws.cell(row, 2).value
        text = _text(raw)
        if text == "":
            continue
        if key in ("yishang_inclusive", "grade_step_down"):
            if text not in (C.YES, C.NO):
                sheet.bad(row, 2, f"{label}应填“是”或“否”")
            options[key] = text == C.YES
        elif key == "adjust_parts":
            parts = [p.strip() for p in text.replace(",", "、").replace("，", "、").split("、") if p.strip()]
            wrong = [p for p in parts if p not in BY_NAME or BY_NAME[p].kind != MONEY]
            if wrong:
                sheet.bad(row, 2, f"“{wrong[0]}”不是工作簿的金额输入项（可用：追加预算、追减预算、上年结转、其他收入）")
            options[key] = parts
        elif key == "over_step":
            if text not in C.OVER_STEP_OF:
                sheet.bad(row, 2, f"{label}应填“不扣”或“按一档扣”")
            options[key] = C.OVER_STEP_OF.get(text, "floor")
        elif key in ("rate_places", "score_places"):
            places = sheet.number(row, 2, label)
            if places is not None and (places != places.to_integral_value() or not 0 <= places <= 6):
                sheet.bad(row, 2, f"{label}应为0–6的整数")
            elif places is not None:
                options[key] = int(places)
        elif key == "sangong_zero_change_points":
            points = sheet.number(row, 2, label)
            if points is not None:
                options[key] = points
        else:
            options[key] = text
    return head, options


def _grades(sheet: _Sheet) -> list[dict]:
    out: list[dict] = []
    for row in range(3, _last_row(sheet) + 1):
        name = _text(sheet.ws.cell(row, 1).value)
        if not name:
            continue
        low = sheet.number(row, 2, "最低分")
        if low is None:
            sheet.bad(row, 2, f"请填写等级“{name}”的最低分")
            continue
        out.append({"min": low, "grade": name})
    if out and min(g["min"] for g in out) != 0:
        sheet.bad(3, 2, "最低的等级的最低分应为0")
    return out


def _advice(sheet: _Sheet, indicators: list[dict]) -> dict:
    """二级指标 | 三级指标 | 建议 -> {三级指标 or 二级指标: 建议}; an older sheet without the
    三级指标 column (二级指标 | 建议) reads as before. A name the 指标 sheet does not have (an
    indicator renamed or deleted there) is named with its cell, not dropped."""
    ws = sheet.ws
    three = _text(ws.cell(2, 2).value) == C.ADVICE_HEADER[1]
    names = {_text(i.get("name")) for i in indicators}
    groups = {_text(i.get("level2")) for i in indicators}
    out = {}
    for r in range(3, _last_row(sheet) + 1):
        group, name = _text(ws.cell(r, 1).value), _text(ws.cell(r, 2).value) if three else ""
        text = _text(ws.cell(r, 3 if three else 2).value)
        if not (group or name) or not text:
            continue
        if name and name not in names:
            sheet.bad(r, 2, f"三级指标“{name}”不在“指标”表中（改名或删除了？），请改为“指标”表中的名称，或删除这一行")
        elif not name and group not in groups:
            sheet.bad(r, 1, f"二级指标“{group}”不在“指标”表中，请改为“指标”表中的名称，或删除这一行")
        else:
            out[name or group] = text
    return out


def _indicators(sheet: _Sheet, options) -> list[dict]:
    ws = sheet.ws
    blocks: list[tuple[int, dict, list[dict]]] = []
    part_rows: list[list[int]] = []  # the sheet row of each sub-item, by block
    marks: list[int] = []  # mistakes found before each block: a block with its own is not checked whole
    for row in range(C.FIRST_ROW, _last_row(sheet) + 1):
        cells = {key: ws.cell(row, col).value for key, col in C.COLUMN.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if _text(cells["no"]):
            marks.append(len(sheet.reading.mistakes))
            blocks.append((row, _indicator_row(sheet, row, cells), []))
            part_rows.append([])
        elif not blocks:
            sheet.bad(row, C.COLUMN["no"], "第一个子项所在行要填写序号和三级指标")
            continue
        if _text(cells["kind"]) or _text(cells["id"]):
            blocks[-1][2].append(_part_row(sheet, row, cells))
            part_rows[-1].append(row)
    out = []
    marks.append(len(sheet.reading.mistakes))
    for n, (row, ind, parts) in enumerate(blocks):
        ind["parts"] = parts
        if not parts:
            sheet.bad(row, C.COLUMN["kind"], f"指标“{ind.get('name', '')}”没有子项：请至少填写一行计分方式")
            continue
        out.append(ind)
        if marks[n + 1] > marks[n]:  # a cell of it is wrong already: the whole would only echo that
            continue
        try:
            _indicator(ind, options, f"第{row}行")
        except ProfileError as exc:  # at the cell the loader names (key and sub-item), else the name
            rows = part_rows[n]
            at = rows[exc.part] if exc.part is not None and exc.part < len(rows) else row
            column = C.COLUMN.get(_FIRST_COLUMN.get(exc.key, exc.key), C.COLUMN["name"])
            sheet.bad(at, column, exc.worded(_WORDS))
    return out


# the keys and kinds a loader's message names (udfs.errors.term), as the workbook says them
_WORDS = {"points": "子项分值", "weight": "指标分值", "over": "超出", "under": "低于", "full_at": "达到即满分",
          "bands": "分档", **C.KIND_NAMES}
_FIRST_COLUMN = {"over": "over_step", "under": "under_step"}  # a key the workbook spreads over three columns


def _indicator_row(sheet: _Sheet, row: int, cells: dict) -> dict:
    ind: dict = {}
    no = sheet.number(row, C.COLUMN["no"], "序号")
    if no is not None:
        ind["no"] = int(no)
    for key in ("level1", "level2", "name"):
        text = _text(cells[key])
        if not text:
            sheet.bad(row, C.COLUMN[key], f"请填写{C.HEADERS[key]}")
        ind[key] = text
    weight = sheet.number(row, C.COLUMN["weight"], "指标分值")
    if weight is None:
        sheet.bad(row, C.COLUMN["weight"], "请填写指标分值")
    ind["weight"] = weight if weight is not None else Decimal(0)
    for key in ("standard", "explain", "evidence"):
        if _text(cells[key]):
            ind[key] = _text(cells[key])
    if _text(cells["aliases"]):
        ind["aliases"] = C.lines(cells["aliases"])
    if _text(cells["shared_cap"]) == C.YES:
        ind["shared_cap"] = True
    conditions = []
    for line in C.lines(cells["zero_if"]):
        rate, _, rest = line.partition(">")
        above, _, label = rest.replace("：", ":").partition(":")
        if rate.strip() not in C.RATE_OF or not above.strip():
            sheet.bad(row, C.COLUMN["zero_if"], f"“{line}”应写成 比率名称>数值：说明，比率名称如 {next(iter(C.RATE_OF))}")
            continue
        try:
            conditions.append({"rate": C.RATE_OF[rate.strip()], "above": C.number(above), "label": label.strip()})
        except ValueError as exc:
            sheet.bad(row, C.COLUMN["zero_if"], str(exc))
    if conditions:
        ind["zero_if"] = conditions
    return ind


class _Row:
    """One row of 指标 as a rule kind's fields read it (``udfs.rules.fields.Cells``)."""

    def __init__(self, sheet: _Sheet, row: int, cells: dict, title: str):
        self.sheet, self.row, self.cells, self.title = sheet, row, cells, title

    def header(self, column: str) -> str:
        return C.HEADERS[column]

    def text(self, column: str) -> str:
        return _text(self.cells[column])

    def number(self, column: str) -> Decimal | None:
        return self.sheet.number(self.row, C.COLUMN[column], C.HEADERS[column])

    def lines(self, column: str) -> list[str]:
        return C.lines(self.cells[column])

    def bad(self, column: str, message: str) -> None:
        self.sheet.bad(self.row, C.COLUMN[column], message)


def _part_row(sheet: _Sheet, row: int, cells: dict) -> dict:
    part: dict = {"id": _text(cells["id"]), "label": _text(cells["label"])}
    kind = C.KIND_OF.get(_text(cells["kind"]))
    if kind is None:
        sheet.bad(row, C.COLUMN["kind"], f"计分方式“{_text(cells['kind'])}”不在下拉列表中（可选：{'、'.join(C.KIND_OF)}）")
    part["kind"] = kind or _text(cells["kind"])  # the indicator is not checked whole: a cell is wrong
    if not part["id"]:
        sheet.bad(row, C.COLUMN["id"], "请填写子项编号，如 ①")
    if _text(cells["choice"]):
        part["choice"] = _text(cells["choice"])
    points = sheet.number(row, C.COLUMN["points"], C.HEADERS["points"])
    if points is not None:
        part["points"] = points
    if kind is None:
        return part
    rule = REGISTRY[kind]
    cells_of_row = _Row(sheet, row, cells, C.KIND_NAMES[kind])
    for reading in rule.fields:
        value = reading.from_cells(cells_of_row)
        if value is not None:
            part[reading.key] = value
    own = {column for f in rule.fields for column in f.columns}
    for column in C.RULE_COLUMNS:  # a cell another kind reads, filled for a kind that would ignore it
        if column not in own and _text(cells[column]):
            sheet.bad(row, C.COLUMN[column], f"计分方式“{C.KIND_NAMES[kind]}”不使用“{C.HEADERS[column]}”，请清空此格")
    return part
