"""Whether a number format shows a cell's value, or something a reader would take for another
value. Pure: the format code as Excel stores it (ECMA-376 Part 1, 18.8.31) and the value.

A format can say anything: ``"1660.95"`` (a literal) shows 1660.95 whatever the cell holds,
``;;;`` shows nothing, ``#,##0,`` divides by 1000, ``0"元"`` on an amount in 万元 reads as
yuan, ``[>0]…`` picks another section by the value. preval scores the value; the bureau
reads what is printed. This module says which formats would make the two differ. Rounding
to fewer decimals is not among them: the figure shown is the value, less precisely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# literal words that change how large the figure reads (万元 itself is the workbook's unit)
MAGNITUDE = ("亿", "千", "百", "万", "元", "%", "％", "‰")
_BRACKET = re.compile(r"\[[^\]]*\]")
_COLOR = re.compile(r"^\[(black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+)\]$", re.I)
_CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)")
_BARE_LITERALS = set("$-+/():!^&'~{}<>= ")
GENERAL = ("General", "G/通用格式", "G/General")  # WPS and Chinese Excel write the second


@dataclass(frozen=True)
class Section:
    placeholders: int  # 0 # ? digits shown
    literal: str  # every literal character, in order
    percent: bool
    scaled: bool  # a thousands comma after the last integer placeholder: ÷1000 each
    date: bool
    general: bool
    condition: bool


def sections(code: str) -> list[str]:
    """The format's sections, split on ; outside quotes, escapes and brackets."""
    out, current, quoted, i = [], "", False, 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "\\" and i + 1 < len(code):
            current += code[i:i + 2]
            i += 2
            continue
        elif not quoted and ch == "[":
            end = code.find("]", i)
            if end > i:
                current += code[i:end + 1]
                i = end + 1
                continue
        elif not quoted and ch == ";":
            out.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    out.append(current)
    return out


def parse(section: str) -> Section:
    placeholders, literal, percent, date, condition = 0, "", False, False, False
    stripped = section.strip()
    alias = next((a for a in GENERAL if stripped.lower().startswith(a.lower())), "")
    general = bool(alias) or stripped == "@"  # a text format shows a number as it is
    body = stripped[len(alias):] if alias else "" if stripped == "@" else section
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == '"':
            end = body.find('"', i + 1)
            end = len(body) if end < 0 else end
            literal += body[i + 1:end]
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(body):
            literal += body[i + 1]
            i += 2
            continue
        if ch == "[":
            end = body.find("]", i)
            token = body[i:end + 1] if end > i else body[i:]
            if _CONDITION.match(token):
                condition = True
            elif token.startswith("[$"):
                literal += token[2:].split("-", 1)[0].rstrip("]")  # [$¥-804]: a currency symbol, a locale
            elif not _COLOR.match(token):
                date = True  # [h] [mm] [ss]: elapsed time
            i = end + 1 if end > i else len(body)
            continue
        if ch in "_*" and i + 1 < len(body):  # _x: the width of x; *x: fill the cell with x
            i += 2
            continue
        if ch in "Ee" and body[i + 1:i + 2] in ("+", "-"):  # scientific: the same value
            i += 2
            continue
        if ch in "0#?":
            placeholders += 1
        elif ch == "%":
            percent = True
        elif ch == "@":
            pass  # the text itself: not a literal
        elif ch.lower() in "ymdhs" or body[i:i + 5].upper() == "AM/PM" or body[i:i + 3].upper() == "A/P":
            date = True
        elif ch not in _BARE_LITERALS and ch not in ".,":
            literal += ch  # a character Excel shows as it is
        i += 1
    # a comma after the digits, not between them (#,##0 groups thousands; #,##0, divides by 1000)
    scaled = bool(re.search(r"[0#?],+(?![0#?,])", _strip_literals(section)))
    return Section(placeholders, literal, percent, scaled, date, general, condition)


def _strip_literals(section: str) -> str:
    return _BRACKET.sub("", re.sub(r'"[^"]*"|\\.', "", section))


def misleads(code: str, value: object, allowed: frozenset[str] = frozenset()) -> str:
    """Why a cell holding ``value`` with format ``code`` would show something other than its
    value ("" when it shows the value; formats in ``allowed`` are the template's own)."""
    if not code or code in allowed or code in GENERAL or code.lower() == "general":
        return ""
    parts = sections(code)
    if any(parse(p).condition for p in parts):
        return "按数值大小选用不同的显示格式"
    if isinstance(value, str):
        if len(parts) >= 4 and "@" not in parts[3]:
            return "文字不显示" if not parts[3].strip() else f"文字显示为“{parse(parts[3]).literal}”"
        return ""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    chosen = parts[0]
    if value < 0 and len(parts) >= 2:
        chosen = parts[1]
    elif value == 0 and len(parts) >= 3:
        chosen = parts[2]
    section = parse(chosen)
    if not _BRACKET.sub("", chosen).strip():
        return "数值被隐藏（显示为空白）"
    if section.date:
        return "数值显示为日期或时间"
    if section.placeholders == 0 and not section.general:
        return f"不显示数值，只显示“{section.literal}”" if section.literal else "不显示数值"
    if any(ch.isdigit() for ch in section.literal):
        return f"格式中写入了数字“{section.literal}”"
    words = section.literal.replace("万元", "")
    if any(w in words for w in MAGNITUDE):
        return f"格式中带有“{section.literal}”，数量级会被误读"
    if section.scaled:
        return "格式把数值缩小为千分之一显示（千位缩放）"
    if section.percent:
        return "格式把数值乘以100显示为百分数"
    return ""
