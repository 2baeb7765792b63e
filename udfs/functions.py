"""PREVAL_* worksheet functions (xlwings UDFs, category 绩效评价).

Thin wrappers: the decorators only attach metadata for Excel's function wizard, the
docstring is the wizard's help text (kept under 255 characters), and the logic lives in
``udfs.cell_api``. Every function is guarded: a bad input gives a short Chinese message
starting with an Excel error code, never a traceback in the cell.

This is the only module that imports xlwings; the add-in's "UDF Modules" setting names it
(``udfs.functions``).
"""

from __future__ import annotations

import inspect

import xlwings as xw

from udfs import cell_api
from udfs.rate_specs import RATES
from udfs.cell_values import guarded

CATEGORY = "绩效评价"


def func(f):
    """xw.func with our category; on Windows it records the metadata Excel's function
    wizard shows, elsewhere xlwings makes it a no-op, so ``__preval_args__`` keeps a copy
    for tests."""
    f.__preval_args__ = dict(getattr(f, "__preval_args__", {}))
    return xw.func(category=CATEGORY)(f)


def arg(name: str, doc: str):
    def inner(f):
        f.__preval_args__ = {name: doc, **getattr(f, "__preval_args__", {})}
        return xw.arg(name, doc=doc)(f)

    return inner

# name, (arg, 中文说明) x 2, help text (function wizard); the rate function is the one
# udfs.rate_specs pairs with this name, so a cell and the engine cannot compute differently
_RATES = (
    ("PREVAL_STAFFRATE",
     ("in_post", "实有在职人数（人），决算口径"), ("posts", "核定编制数（人）"),
     "在职人员控制率=在职人数/编制数。返回小数，单元格请设为百分比格式。"),
    ("PREVAL_SANGONGCHANGE",
     ("this_year", "本年度“三公经费”预算数（万元）"), ("last_year", "上年度“三公经费”预算数（万元）"),
     "“三公经费”变动率=(本年预算−上年预算)/上年预算。负数表示减少。"),
    ("PREVAL_SANGONGRATE",
     ("actual", "“三公经费”实际支出数（万元）"), ("budget", "“三公经费”预算安排数（万元）"),
     "“三公经费”控制率=实际支出/预算安排数。"),
    ("PREVAL_KEYSPENDRATE",
     ("actual", "重点支出实际数（万元，剔除往来款等）"), ("budget", "重点支出预算数（万元）"),
     "重点支出安排率=重点实际支出/重点预算支出。"),
    ("PREVAL_NONTAXRATE",
     ("actual", "非税收入实际完成数（万元）"), ("budget", "非税收入预算数（万元）"),
     "非税收入完成率=实际完成数/预算数。两者均为0时返回“无”。"),
    ("PREVAL_EXECRATE",
     ("spent", "本年预算执行数（万元）"), ("budget", "全年预算数（万元）"),
     "预算执行率=预算执行数/全年预算数。"),
    ("PREVAL_ADJUSTRATE",
     ("adjustment", "预算调整数（万元）=追加+追减−调整剔除数"),
     ("base", "预算数（万元），按评分档案取全年预算−剔除数或年初预算"),
     "预算调整率=预算调整数/预算数。"),
    ("PREVAL_CARRYOVERRATE",
     ("carryover", "年末结转和结余（万元，决算数）"), ("budget", "支出预算数（万元）"),
     "结转结余率=结转结余总额/支出预算数。"),
    ("PREVAL_PUBLICCOSTRATE",
     ("actual", "公用经费实际支出（万元）"), ("budget", "公用经费预算（万元）"),
     "公用经费控制率=实际支出公用经费/预算安排公用经费。"),
    ("PREVAL_PROCURERATE",
     ("actual", "实际政府采购金额（万元）"), ("budget", "政府采购预算数（万元）"),
     "政府采购执行率=实际采购金额/采购预算数。"),
    ("PREVAL_COMPLETIONRATE",
     ("done", "实际完成工作数"), ("planned", "计划工作数"), "实际完成率=实际完成工作数/计划工作数。"),
    ("PREVAL_TIMELYRATE",
     ("done", "按时限完成的工作数"), ("planned", "计划工作数"), "完成及时率=及时完成工作数/计划工作数。"),
    ("PREVAL_QUALITYRATE",
     ("done", "质量达标的工作数"), ("planned", "计划工作数"), "质量达标率=质量达标工作数/计划工作数。"),
    ("PREVAL_KEYTASKRATE",
     ("done", "重点工作实际完成数"), ("planned", "重点工作交办或下达数"), "重点工作办结率=实际完成数/交办数。"),
)


_RATE_FUNCS = {spec.udf: spec.func for spec in RATES.values() if spec.udf}


def _rate_udf(name, first, second, help_text):
    """One rate UDF: same shape for all 14, so built from the table above."""
    labels = (first[1].split("（")[0], second[1].split("（")[0])
    rate_func = _RATE_FUNCS[name]  # resolved at import: a name without a rate fails loudly

    def udf(a, b):
        return cell_api.rate(rate_func, a, b, names=labels)

    udf.__name__ = udf.__qualname__ = name
    udf.__doc__ = help_text
    wrapped = guarded(udf)
    params = [inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a, _ in (first, second)]
    wrapped.__signature__ = inspect.Signature(params)
    wrapped = func(wrapped)
    for name_, doc in reversed((first, second)):
        wrapped = arg(name_, doc)(wrapped)
    return wrapped


for _row in _RATES:
    globals()[_row[0]] = _rate_udf(*_row)
del _row


@func
@arg("indicator", "三级指标名称或序号（1–28），如“预算调整率”")
@arg("value", "比率（小数）、是/否或等级；多项时选中相邻单元格，按指标计算表的顺序")
@arg("profile", "评分档案名称，可省略（默认 shaoyang-2022）")
@arg("deductions", "扣分：一个数（整体扣分），或各子项扣分区域（①②…，末列可为整体扣分）")
@guarded
def PREVAL_SCORE(indicator, value, profile=None, deductions=None):
    """按评分档案计算一个三级指标的得分（含扣分记录的扣分）。"""
    return cell_api.score(indicator, value, profile, deductions)


@func
@arg("indicator", "三级指标名称或序号（1–28），如“资金使用合规性”")
@arg("deductions", "扣分：一个数（整体扣分），或各子项扣分区域（①②…）")
@arg("profile", "评分档案名称，可省略（默认 shaoyang-2022）")
@guarded
def PREVAL_DEDUCT(indicator, deductions, profile=None):
    """扣分类指标得分：满分减去扣分，各子项扣完为止。"""
    return cell_api.deduct(indicator, deductions, profile)


@func
@arg("scores", "得分区域，空单元格不计")
@guarded
def PREVAL_TOTAL(scores):
    """合计得分，四舍五入保留2位小数。"""
    return cell_api.total(scores)


@func
@arg("total", "总分（0–100）")
@arg("serious", "是否出现严重违纪违法事件：是/否，可省略")
@arg("profile", "评分档案名称，可省略（默认 shaoyang-2022）")
@guarded
def PREVAL_GRADE(total, serious=None, profile=None):
    """评价等级：优/良/中/差；严重违纪时下调一个等级。"""
    return cell_api.grade(total, serious, profile)


def catalogue() -> list:
    """Every PREVAL_* function of this module, in name order (for tests and the add-in)."""
    return sorted((f for n, f in globals().items() if n.startswith("PREVAL_") and callable(f)),
                  key=lambda f: f.__name__)
