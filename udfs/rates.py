"""Every rate of the rubric as a pure function on Decimal (附件1 formulas).

Each returns an exact fraction (format as % for display); rounding for scoring happens in
the engine at the profile's precision. An empty or zero denominator raises
``DomainError`` naming the input, so callers can say which cell is wrong.
"""

from __future__ import annotations

from decimal import Decimal

from udfs.money import ZERO


class DomainError(ValueError):
    """A rate cannot be computed: missing input or zero denominator."""

    def __init__(self, message: str, *, name: str = "", code: str = "#DIV/0!"):
        super().__init__(message)
        self.name = name
        self.code = code


def ratio(numerator: Decimal | None, denominator: Decimal | None,
          num_name: str = "分子", den_name: str = "分母") -> Decimal:
    """numerator / denominator, with a Chinese DomainError for missing or zero parts."""
    if numerator is None:
        raise DomainError(f"{num_name}为空", name=num_name, code="#VALUE!")
    if denominator is None:
        raise DomainError(f"{den_name}为空", name=den_name, code="#VALUE!")
    if denominator == ZERO:
        raise DomainError(f"{den_name}为0，无法计算", name=den_name)
    return numerator / denominator


def staff_rate(in_post, posts):
    """在职人员控制率 = 在职人员数 / 编制数。"""
    return ratio(in_post, posts, "在职人数", "编制数")


def sangong_change_rate(this_year, last_year):
    """“三公经费”变动率 = (本年度预算 − 上年度预算) / 上年度预算。"""
    if this_year is None:
        raise DomainError("三公预算本年为空", name="三公预算本年", code="#VALUE!")
    if last_year is None:
        raise DomainError("三公预算上年为空", name="三公预算上年", code="#VALUE!")
    return ratio(this_year - last_year, last_year, "三公预算本年", "三公预算上年")


def sangong_control_rate(actual, budget):
    """“三公经费”控制率 = 实际支出数 / 预算安排数。"""
    return ratio(actual, budget, "三公实际", "三公预算本年")


def keyspend_rate(actual, budget):
    """重点支出安排率 = 重点实际支出 / 重点预算支出。"""
    return ratio(actual, budget, "重点支出实际", "重点支出预算")


def nontax_rate(actual, budget):
    """非税收入完成率 = 非税收入实际完成数 / 非税收入预算数。"""
    return ratio(actual, budget, "非税收入实际", "非税收入预算")


def exec_rate(spent, budget):
    """预算执行率 = 预算执行数 / 全年预算数。"""
    return ratio(spent, budget, "预算执行数", "全年预算")


def adjust_amount(added, cut, excluded):
    """预算调整数 = 追加 + 追减 − 调整剔除数 (additions and cuts both count, design.md)."""
    parts = {"追加预算": added, "追减预算": cut, "调整剔除数": excluded}
    for name, value in parts.items():
        if value is None:
            raise DomainError(f"{name}为空", name=name, code="#VALUE!")
    return added + cut - excluded


def adjust_rate(adjustment, base):
    """预算调整率 = 预算调整数 / 预算数 (the denominator is a profile option)."""
    return ratio(adjustment, base, "预算调整数", "预算数")


def carryover_rate(carryover, budget):
    """结转结余率 = 结转结余总额 / 支出预算数。"""
    return ratio(carryover, budget, "结转结余", "全年预算")


def publiccost_rate(actual, budget):
    """公用经费控制率 = 实际支出公用经费 / 预算安排公用经费。"""
    return ratio(actual, budget, "公用经费实际", "公用经费预算")


def procure_rate(actual, budget):
    """政府采购执行率 = 实际政府采购金额 / 政府采购预算数。"""
    return ratio(actual, budget, "采购实际", "采购预算")


def completion_rate(done, planned):
    """实际完成率 = 实际完成工作数 / 计划工作数。"""
    return ratio(done, planned, "实际完成数", "计划工作数")


def timely_rate(done, planned):
    """完成及时率 = 及时完成工作数 / 计划工作数。"""
    return ratio(done, planned, "及时完成数", "计划工作数")


def quality_rate(done, planned):
    """质量达标率 = 质量达标工作数 / 计划工作数。"""
    return ratio(done, planned, "质量达标数", "计划工作数")


def keytask_rate(done, assigned):
    """重点工作办结率 = 重点工作实际完成数 / 交办或下达数。"""
    return ratio(done, assigned, "重点完成数", "重点交办数")
