"""The rubric workbook's layout, shared by its writer and its reader: the sheets, the
columns of 指标 (one row per sub-item; an indicator's own columns on its first row), the
Chinese names of the options and the text syntax of an indicator's cells (zero_if). Which
columns a rule kind fills, and what a clerk types there (bands, category points), is the
kind's own (``udfs.rules``)."""

from __future__ import annotations

from udfs.rates import RATES
from udfs.rules import REGISTRY
from udfs.rules.fields import SPECIAL_NAMES, VALUE_INPUTS, pct_text
from udfs.rules.fields import cell_number as number

__all__ = ["SPECIAL_NAMES", "VALUE_INPUTS", "number", "pct_text"]

README, HEAD, INDICATORS, GRADES, ADVICE, LISTS = "填写说明", "档案", "指标", "等级", "改进建议", "选项"
# 改进建议: by 三级指标 where it is filled, else by 二级指标 (a workbook of before the 三级指标
# column has only 二级指标 | 建议: read by its header)
ADVICE_HEADER = ("二级指标", "三级指标", "建议")
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
    # last, so that older rubric workbooks read as before: a sub-item's spelling in 扣分记录 when
    # one number has two halves (④外租)
    ("choice", "扣分记录写法（选填）", 10),
)
COLUMN = {key: n for n, (key, _, _) in enumerate(COLUMNS, start=1)}
HEADERS = {key: header for key, header, _ in COLUMNS}
PERCENT_KEYS = ("over_step", "over_from", "under_step", "under_from", "full_at")

KIND_NAMES = {kind: rule.title for kind, rule in REGISTRY.items()}  # the 计分方式 dropdown
KIND_OF = {v: k for k, v in KIND_NAMES.items()}
SPECIAL_OF = {v: k for k, v in SPECIAL_NAMES.items()}
RATE_NAMES = {rid: spec.label for rid, spec in RATES.items()}
RATE_OF = {v: k for k, v in RATE_NAMES.items()}
# the columns a rule kind's fields fill (udfs.rules.fields): left empty by the kinds that do not read them
RULE_COLUMNS = tuple(dict.fromkeys(c for rule in REGISTRY.values() for f in rule.fields for c in f.columns))
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


def lines(value: object) -> list[str]:
    return [x.strip() for x in str(value or "").replace("\r", "\n").split("\n") if x.strip()]
