"""The rubric workbook's layout, shared by its writer and its reader: the sheets, the
columns of 指标 (one row per sub-item; an indicator's own columns on its first row), the
Chinese names of the rule kinds and options, and the little text syntaxes of a cell
(bands, category points, zero_if conditions)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from udfs.contract import BY_NAME, CHOICE
from udfs.rates import RATES

README, HEAD, INDICATORS, GRADES, ADVICE, LISTS = "填写说明", "档案", "指标", "等级", "改进建议", "选项"
FIRST_ROW = 3  # 指标: title in row 1, the header in row 2

# (key, header, width): the order of the 指标 columns
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("no", "序号", 5), ("level1", "一级指标", 8), ("level2", "二级指标", 10), ("name", "三级指标", 18),
    ("weight", "指标分值", 7), ("id", "子项", 5), ("label", "子项内容", 24), ("kind", "计分方式", 16),
    ("points", "子项分值", 7), ("source", "比率或输入", 16),
    ("over_step", "超出：每档幅度", 9), ("over_deduct", "超出：每档扣分", 9), ("over_from", "超出：起点", 9),
    ("under_step", "低于：每档幅度", 9), ("under_deduct", "低于：每档扣分", 9), ("under_from", "低于：目标值", 9),
    ("full_at", "达到即满分", 9), ("bands", "分档（每行一档）", 30), ("map", "等级与分值（每行一个）", 16),
    ("per_case", "每例扣分", 7), ("steps", "允许的扣分额", 9), ("zero_base", "分母为0时", 9),
    ("both_zero", "分子分母均为0时", 9), ("standard", "评分标准", 40), ("explain", "指标解释", 30),
    ("evidence", "佐证材料", 24), ("aliases", "别名（每行一个）", 12), ("shared_cap", "各子项共用扣分上限", 9),
    ("zero_if", "计0分的条件（每行一个）", 30), ("synonyms", "同义写法（每行一个）", 14),
    # appended (issue 25): a sub-item's spelling in 扣分记录 when one number has two halves (④外租)
    ("choice", "扣分记录写法（选填）", 10),
)
COLUMN = {key: n for n, (key, _, _) in enumerate(COLUMNS, start=1)}
HEADERS = {key: header for key, header, _ in COLUMNS}
INDICATOR_KEYS = ("no", "level1", "level2", "name", "weight", "standard", "explain", "evidence", "aliases",
                  "shared_cap", "zero_if")
PERCENT_KEYS = ("over_step", "over_from", "under_step", "under_from", "full_at")

KIND_NAMES = {
    "ratio": "比率×分值", "ceiling": "不超过100%得满分", "bands": "分档计分", "steps": "超出或低于目标按档扣分",
    "yesno": "是否", "category": "等级计分", "deduct": "每例扣分", "all_or_nothing": "全有或全无",
    "veto": "一票否决", "judgement": "酌情扣分",
}
KIND_OF = {v: k for k, v in KIND_NAMES.items()}
SPECIAL_NAMES = {"full": "计满分", "zero": "计0分", "as_zero": "按比率为0计"}
SPECIAL_OF = {v: k for k, v in SPECIAL_NAMES.items()}
RATE_NAMES = {rid: spec.label for rid, spec in RATES.items()}
RATE_OF = {v: k for k, v in RATE_NAMES.items()}
VALUE_INPUTS = tuple(n for n, s in BY_NAME.items() if s.kind == CHOICE)  # 是/否 and category inputs
YES, NO = "是", "否"

# (option, label, help): rows of the 档案 sheet below the head
HEAD_ROWS = (("name", "档案名称", "英文字母、数字和连字符，如 yueyang-2024；preval new --profile 用这个名称"),
             ("title", "标题", "如 岳阳市部门整体支出绩效评价指标体系（2024年度）"),
             ("source", "依据", "指标体系的来源文件"))
OPTION_ROWS = (
    ("sangong_zero_change_points", "“三公经费”变动率为0时得分", "评分标准只说正数、负数时按此计分"),
    ("adjust_denominator", "预算调整率的分母", "全年预算减剔除 或 年初预算"),
    ("adjust_parts", "预算调整数包括", "用顿号分隔：追加预算、追减预算、上年结转、其他收入"),
    ("yishang_inclusive", "“以上、以下、以内”含本数", "是/否（民法典第1259条：含本数）"),
    ("rate_places", "比率保留小数位数", "4 即 0.01%"),
    ("score_places", "得分保留小数位数", "2"),
    ("over_step", "不足一档时", "不扣（floor）或 按一档扣（ceil）"),
    ("grade_step_down", "严重违纪下调一个等级", "是/否"),
)
OVER_STEP_NAMES = {"floor": "不扣", "ceil": "按一档扣"}
OVER_STEP_OF = {v: k for k, v in OVER_STEP_NAMES.items()} | {"floor": "floor", "ceil": "ceil"}

_BAND = re.compile(r"^\s*([\[(（【])\s*([^,，]*?)\s*[,，]\s*([^\])）】]*?)\s*([\])）】])\s*[=＝]\s*([-\d.]+)\s*(?:[:：]\s*(.*))?$")


def pct_text(value: Decimal) -> str:
    text = format((value * 100).normalize(), "f")
    return f"{text}%"


def number(text: str) -> Decimal:
    """A number a clerk typed into a text syntax: "95%", "0.95", "10％"."""
    raw = text.strip().replace("％", "%")
    try:
        return Decimal(raw[:-1]) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None


def band_text(band: dict) -> str:
    low = pct_text(Decimal(str(band["min"]))) if "min" in band else ""
    high = pct_text(Decimal(str(band["max"]))) if "max" in band else ""
    left = "[" if band.get("min_incl", True) else "("
    right = "]" if band.get("max_incl", True) else ")"
    points = format(Decimal(str(band["points"])).normalize(), "f")
    label = f"：{band['label']}" if band.get("label") else ""
    return f"{left}{low},{high}{right}={points}{label}"


def parse_band(line: str) -> dict:
    """"[95%,]=2：95%以上计2分" — [ ] include the bound, ( ) exclude it, an empty bound is open."""
    m = _BAND.match(line)
    if m is None:
        raise ValueError(f"“{line}”不是分档的写法，应如 [95%,]=2：95%以上计2分 或 (10%,20%]=1")
    left, low, high, right, points, label = m.groups()
    out: dict = {"points": number(points), "label": (label or "").strip()}
    if low:
        out["min"], out["min_incl"] = number(low), left in "[【"
    if high:
        out["max"], out["max_incl"] = number(high), right in "]】"
    return out


def lines(value: object) -> list[str]:
    return [x.strip() for x in str(value or "").replace("\r", "\n").split("\n") if x.strip()]
