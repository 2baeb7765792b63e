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
from udfs.cell_values import guarded
from udfs.rates import RATES

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

def rate_udf(rate_id: str):
    """A PREVAL_* rate function from its row of ``udfs.rates.RATES``: the row names the
    function and gives its arguments' help; the wrapper must take exactly those arguments
    (checked here, at import: a wrapper and its row cannot drift apart)."""
    spec = RATES[rate_id]

    def decorate(f):
        params = tuple(inspect.signature(f).parameters)
        wanted = tuple(op.arg for op in spec.operands)
        if f.__name__ != spec.udf or params != wanted:
            raise TypeError(f"{f.__name__}{params} does not match RATES[{rate_id!r}]: {spec.udf}{wanted}")
        wrapped = func(guarded(f))
        for op in reversed(spec.operands):
            wrapped = arg(op.arg, op.help)(wrapped)
        return wrapped

    return decorate


@rate_udf("staff")
def PREVAL_STAFFRATE(in_post, posts):
    """在职人员控制率=在职人数/编制数。返回小数，单元格请设为百分比格式。"""
    return cell_api.rate("staff", in_post, posts)


@rate_udf("sangong_change")
def PREVAL_SANGONGCHANGE(this_year, last_year):
    """“三公经费”变动率=(本年预算−上年预算)/上年预算。负数表示减少。"""
    return cell_api.rate("sangong_change", this_year, last_year)


@rate_udf("sangong_control")
def PREVAL_SANGONGRATE(actual, budget):
    """“三公经费”控制率=实际支出/预算安排数。"""
    return cell_api.rate("sangong_control", actual, budget)


@rate_udf("keyspend")
def PREVAL_KEYSPENDRATE(actual, budget):
    """重点支出安排率=重点实际支出/重点预算支出。"""
    return cell_api.rate("keyspend", actual, budget)


@rate_udf("nontax")
def PREVAL_NONTAXRATE(actual, budget):
    """非税收入完成率=实际完成数/预算数。两者均为0时返回“无”。"""
    return cell_api.rate("nontax", actual, budget)


@rate_udf("exec")
def PREVAL_EXECRATE(spent, budget):
    """预算执行率=预算执行数/全年预算数。"""
    return cell_api.rate("exec", spent, budget)


@rate_udf("adjust")
def PREVAL_ADJUSTRATE(adjustment, base):
    """预算调整率=预算调整数/预算数。"""
    return cell_api.rate("adjust", adjustment, base)


@rate_udf("carryover")
def PREVAL_CARRYOVERRATE(carryover, budget):
    """结转结余率=结转结余总额/支出预算数。"""
    return cell_api.rate("carryover", carryover, budget)


@rate_udf("publiccost")
def PREVAL_PUBLICCOSTRATE(actual, budget):
    """公用经费控制率=实际支出公用经费/预算安排公用经费。"""
    return cell_api.rate("publiccost", actual, budget)


@rate_udf("procure")
def PREVAL_PROCURERATE(actual, budget):
    """政府采购执行率=实际采购金额/采购预算数。"""
    return cell_api.rate("procure", actual, budget)


@rate_udf("completion")
def PREVAL_COMPLETIONRATE(done, planned):
    """实际完成率=实际完成工作数/计划工作数。"""
    return cell_api.rate("completion", done, planned)


@rate_udf("timely")
def PREVAL_TIMELYRATE(done, planned):
    """完成及时率=及时完成工作数/计划工作数。"""
    return cell_api.rate("timely", done, planned)


@rate_udf("quality")
def PREVAL_QUALITYRATE(done, planned):
    """质量达标率=质量达标工作数/计划工作数。"""
    return cell_api.rate("quality", done, planned)


@rate_udf("keytask")
def PREVAL_KEYTASKRATE(done, planned):
    """重点工作办结率=实际完成数/交办数。"""
    return cell_api.rate("keytask", done, planned)


@rate_udf("project_exec")
def PREVAL_PROJECTEXECRATE(spent, budget):
    """项目资金执行率=项目支出实际数/项目支出预算数。"""
    return cell_api.rate("project_exec", spent, budget)


@rate_udf("carryover_change")
def PREVAL_CARRYOVERCHANGE(this_year, last_year):
    """结转结余变动率=(本年末结转结余−上年末结转结余)/上年末结转结余。"""
    return cell_api.rate("carryover_change", this_year, last_year)


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
