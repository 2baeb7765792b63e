"""Which inputs feed which rate, and how its formula is written in 附件2 style.

Profiles name rates by id ("staff", "adjust", ...); the engine asks a spec for the value
and for the expression with the real numbers ("29/34"), which goes into each score's basis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from udfs import rates
from udfs.contract import BY_NAME, COUNT, RATE
from udfs.money import fmt_money, fmt_num, fmt_pct


def fmt_input(name: str, value: Decimal | None) -> str:
    """An input as the reports print it: counts bare, money with 2 decimals, rates in %."""
    if value is None:
        return "（空）"
    kind = BY_NAME[name].kind
    if kind == COUNT:
        return fmt_num(value)
    if kind == RATE:
        return fmt_pct(value)
    return fmt_money(value)


@dataclass(frozen=True)
class RateSpec:
    id: str
    label: str
    func: Callable[..., Decimal]
    args: tuple[str, ...]  # input names, in the function's argument order
    template: str  # "{0}/{1}" over the formatted args
    udf: str = ""  # the PREVAL_* cell function of this rate ("" = the input itself)

    def inputs_used(self, options) -> tuple[str, ...]:
        return self.args

    def denominator(self, options) -> str:
        """The input a zero denominator is reported on."""
        return self.args[-1]

    def cell_formula(self, options) -> str:
        """The worksheet formula (without "=") over the defined names, as 指标计算 has it."""
        if not self.udf:
            return self.args[0]
        return f"{self.udf}({','.join(self.cell_args(options))})"

    def cell_args(self, options) -> tuple[str, ...]:
        return self.args

    def compute(self, values: Mapping[str, Decimal | None], options) -> tuple[Decimal, str]:
        """(exact rate, expression with numbers) — raises rates.DomainError."""
        args = [values.get(name) for name in self.args]
        rate = self.func(*args)
        shown = [fmt_input(name, v) for name, v in zip(self.args, args)]
        return rate, self.template.format(*shown)


class AdjustRateSpec(RateSpec):
    """预算调整率: numerator 追加+追减−剔除; denominator chosen by the profile option."""

    @staticmethod
    def _net_of_excluded(options) -> bool:
        """Denominator 全年预算 − 调整剔除数 (else 年初预算)."""
        return options.adjust_denominator == "全年预算减剔除"

    def inputs_used(self, options) -> tuple[str, ...]:
        base = ("全年预算", "调整剔除数") if self._net_of_excluded(options) else ("年初预算",)
        return ("追加预算", "追减预算", "调整剔除数", *base)

    def denominator(self, options) -> str:
        return "全年预算" if self._net_of_excluded(options) else "年初预算"

    def cell_args(self, options) -> tuple[str, ...]:
        base = "全年预算-调整剔除数" if self._net_of_excluded(options) else "年初预算"
        return ("追加预算+追减预算-调整剔除数", base)

    def compute(self, values, options):
        added, cut, excl = (values.get(n) for n in ("追加预算", "追减预算", "调整剔除数"))
        amount = rates.adjust_amount(added, cut, excl)
        num_text = f"({fmt_money(added)}+{fmt_money(cut)}−{fmt_money(excl)})"
        if self._net_of_excluded(options):
            total = values.get("全年预算")
            if total is None:
                raise rates.DomainError("全年预算为空", name="全年预算", code="#VALUE!")
            base = total - excl
            den_text = f"({fmt_money(total)}−{fmt_money(excl)})"
        else:
            base = values.get("年初预算")
            den_text = fmt_input("年初预算", base)
        try:
            return rates.adjust_rate(amount, base), f"{num_text}/{den_text}"
        except rates.DomainError as exc:
            raise rates.DomainError(f"预算调整率的分母（{den_text}）为空或为0", name="全年预算",
                                    code=exc.code) from exc


def _identity(value):
    if value is None:
        raise rates.DomainError("满意率为空", name="满意率", code="#VALUE!")
    return value


_SPECS = (
    RateSpec("staff", "在职人员控制率", rates.staff_rate, ("在职人数", "编制数"), "{0}/{1}", udf="PREVAL_STAFFRATE"),
    RateSpec("sangong_change", "“三公经费”变动率", rates.sangong_change_rate,
             ("三公预算本年", "三公预算上年"), "({0}−{1})/{1}", udf="PREVAL_SANGONGCHANGE"),
    RateSpec("sangong_control", "“三公经费”控制率", rates.sangong_control_rate,
             ("三公实际", "三公预算本年"), "{0}/{1}", udf="PREVAL_SANGONGRATE"),
    RateSpec("keyspend", "重点支出安排率", rates.keyspend_rate, ("重点支出实际", "重点支出预算"), "{0}/{1}", udf="PREVAL_KEYSPENDRATE"),
    RateSpec("nontax", "非税收入完成率", rates.nontax_rate, ("非税收入实际", "非税收入预算"), "{0}/{1}", udf="PREVAL_NONTAXRATE"),
    RateSpec("exec", "预算执行率", rates.exec_rate, ("预算执行数", "全年预算"), "{0}/{1}", udf="PREVAL_EXECRATE"),
    AdjustRateSpec("adjust", "预算调整率", rates.adjust_rate, (), "", udf="PREVAL_ADJUSTRATE"),
    RateSpec("carryover", "结转结余率", rates.carryover_rate, ("结转结余", "全年预算"), "{0}/{1}", udf="PREVAL_CARRYOVERRATE"),
    RateSpec("publiccost", "公用经费控制率", rates.publiccost_rate, ("公用经费实际", "公用经费预算"), "{0}/{1}", udf="PREVAL_PUBLICCOSTRATE"),
    RateSpec("procure", "政府采购执行率", rates.procure_rate, ("采购实际", "采购预算"), "{0}/{1}", udf="PREVAL_PROCURERATE"),
    RateSpec("completion", "实际完成率", rates.completion_rate, ("实际完成数", "计划工作数"), "{0}/{1}", udf="PREVAL_COMPLETIONRATE"),
    RateSpec("timely", "完成及时率", rates.timely_rate, ("及时完成数", "计划工作数"), "{0}/{1}", udf="PREVAL_TIMELYRATE"),
    RateSpec("quality", "质量达标率", rates.quality_rate, ("质量达标数", "计划工作数"), "{0}/{1}", udf="PREVAL_QUALITYRATE"),
    RateSpec("keytask", "重点工作办结率", rates.keytask_rate, ("重点完成数", "重点交办数"), "{0}/{1}", udf="PREVAL_KEYTASKRATE"),
    RateSpec("satisfaction", "满意率", _identity, ("满意率",), "{0}"),
)

RATES: dict[str, RateSpec] = {spec.id: spec for spec in _SPECS}
