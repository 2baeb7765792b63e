"""Every rate of the rubric (附件1 formulas), each stated once: one row of ``RATES``.

A row says what the rate is called, which inputs it reads, how its formula is printed with
the real numbers ("29/34") in the basis of a score, and which PREVAL_* cell function
computes it, with that function's arguments (name, the label a cell's message uses, the
function-wizard help). Profiles name rates by id ("staff", "adjust", ...).

The engine calls ``spec.compute(values, options)``, a PREVAL_* cell ``spec.of(a, b)``:
the same arithmetic, so a cell and the engine cannot compute differently. Rates are exact
fractions (format as %); rounding for scoring happens in the engine at the profile's
precision. An empty or zero denominator raises ``DomainError`` naming the input, so callers
can say which cell is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from udfs.contract import BY_NAME, COUNT, RATE
from udfs.errors import DomainError
from udfs.money import ZERO, fmt_money, fmt_num, fmt_pct


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


def adjust_amount(parts: Mapping[str, Decimal | None], excluded: Decimal | None) -> Decimal:
    """预算调整数 = the parts the profile counts as adjustment (追加 and 追减 both count,
    design.md; some rubrics add 上年结转 and 其他收入) − 调整剔除数."""
    total = ZERO
    for name, value in {**parts, "调整剔除数": excluded}.items():
        if value is None:
            raise DomainError(f"{name}为空", name=name, code="#VALUE!")
        total += -value if name == "调整剔除数" else value
    return total


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
class Operand:
    """One quantity a rate divides: the input it reads and the PREVAL_* argument for it."""

    name: str  # the defined name it reads (or the quantity's name when computed)
    arg: str = ""  # the PREVAL_* argument (ASCII: the VBA wrapper uses it)
    label: str = ""  # how a cell's message names a bad argument
    help: str = ""  # function-wizard help of the argument (< 255 characters)


@dataclass(frozen=True)
class RateSpec:
    """A rate = first operand / second operand."""

    id: str
    label: str
    operands: tuple[Operand, ...]
    udf: str = ""  # the PREVAL_* cell function of this rate ("" = none)
    template: str = "{0}/{1}"  # the formula over the formatted inputs, for the basis text

    @property
    def args(self) -> tuple[str, ...]:
        """The inputs read, in the formula's order."""
        return tuple(op.name for op in self.operands)

    def of(self, *values: Decimal | None) -> Decimal:
        """The rate of two numbers (what the PREVAL_* cell function computes)."""
        return ratio(values[0], values[1], *self.args)

    def inputs_used(self, options) -> tuple[str, ...]:
        return self.args

    def denominator(self, options) -> str:
        """The input a zero denominator is reported on."""
        return self.args[-1]

    def numerator(self, values: Mapping[str, Decimal], options) -> Decimal:
        """The numerator, for telling 0/0 (no such item) from x/0; every input is a number."""
        return values[self.args[0]]

    def cell_formula(self, options) -> str:
        """The worksheet formula (without "=") over the defined names, as 指标计算 has it."""
        if not self.udf:
            return self.args[0]
        return f"{self.udf}({','.join(self.cell_args(options))})"

    def cell_args(self, options) -> tuple[str, ...]:
        return self.args

    def native_terms(self, options) -> tuple[str, str | None]:
        """(numerator, denominator) as worksheet expressions over the defined names, for
        the workbook's own formulas (addin.workbook.native); None: no division."""
        return self.args[0], self.args[1]

    def compute(self, values: Mapping[str, Decimal | None], options) -> tuple[Decimal, str]:
        """(exact rate, expression with numbers) — raises DomainError."""
        args = [values.get(name) for name in self.args]
        rate = self.of(*args)
        shown = [fmt_input(name, v) for name, v in zip(self.args, args, strict=True)]
        return rate, self.template.format(*shown)


class ChangeRateSpec(RateSpec):
    """A change: (first − second) / second."""

    def of(self, *values: Decimal | None) -> Decimal:
        this_year, last_year = values
        first, second = self.args
        if this_year is None:
            raise DomainError(f"{first}为空", name=first, code="#VALUE!")
        if last_year is None:
            raise DomainError(f"{second}为空", name=second, code="#VALUE!")
        return ratio(this_year - last_year, last_year, first, second)

    def numerator(self, values, options) -> Decimal:
        first, second = self.args
        return values[first] - values[second]

    def native_terms(self, options) -> tuple[str, str | None]:
        first, second = self.args
        return f"({first}-{second})", second


class IdentitySpec(RateSpec):
    """A rate typed in directly (满意率): the input itself."""

    def of(self, *values: Decimal | None) -> Decimal:
        (value,) = values
        if value is None:
            raise DomainError(f"{self.args[0]}为空", name=self.args[0], code="#VALUE!")
        return value

    def native_terms(self, options) -> tuple[str, str | None]:
        return self.args[0], None


class AdjustRateSpec(RateSpec):
    """预算调整率: numerator = the profile's ``adjust_parts`` (追加+追减 by default) −
    调整剔除数; denominator chosen by the profile option (design.md: 全年预算 − 调整剔除数 in
    the reference case, 年初预算 in other cities)."""

    @staticmethod
    def _net_of_excluded(options) -> bool:
        return options.adjust_denominator == "全年预算减剔除"

    def inputs_used(self, options) -> tuple[str, ...]:
        base = ("全年预算", "调整剔除数") if self._net_of_excluded(options) else ("年初预算",)
        return (*options.adjust_parts, "调整剔除数", *base)

    def denominator(self, options) -> str:
        return "全年预算" if self._net_of_excluded(options) else "年初预算"

    def numerator(self, values, options) -> Decimal:
        return adjust_amount({n: values[n] for n in options.adjust_parts}, values["调整剔除数"])

    def cell_args(self, options) -> tuple[str, ...]:
        base = "全年预算-调整剔除数" if self._net_of_excluded(options) else "年初预算"
        return ("+".join(options.adjust_parts) + "-调整剔除数", base)

    def native_terms(self, options) -> tuple[str, str | None]:
        numerator, base = self.cell_args(options)
        return f"({numerator})", f"({base})" if "-" in base else base

    def compute(self, values, options):
        parts = {n: values.get(n) for n in options.adjust_parts}
        excl = values.get("调整剔除数")
        amount = adjust_amount(parts, excl)
        num_text = "(" + "+".join(fmt_money(v) for v in parts.values()) + f"−{fmt_money(excl)})"
        if self._net_of_excluded(options):
            total = values.get("全年预算")
            if total is None:
                raise DomainError("全年预算为空", name="全年预算", code="#VALUE!")
            base = total - excl  # type: ignore[operator]  # adjust_amount refused a None excl
            den_text = f"({fmt_money(total)}−{fmt_money(excl)})"
        else:
            base = values.get("年初预算")
            den_text = fmt_input("年初预算", base)
        try:
            return self.of(amount, base), f"{num_text}/{den_text}"
        except DomainError as exc:
            raise DomainError(f"预算调整率的分母（{den_text}）为空或为0", name="全年预算",
                              code=exc.code) from exc


_DONE_OF_PLANNED = Operand("计划工作数", "planned", "计划工作数", "计划工作数")

_SPECS = (
    RateSpec("staff", "在职人员控制率", (
        Operand("在职人数", "in_post", "实有在职人数", "实有在职人数（人），决算口径"),
        Operand("编制数", "posts", "核定编制数", "核定编制数（人）"),
    ), udf="PREVAL_STAFFRATE"),
    ChangeRateSpec("sangong_change", "“三公经费”变动率", (
        Operand("三公预算本年", "this_year", "本年度“三公经费”预算数", "本年度“三公经费”预算数（万元）"),
        Operand("三公预算上年", "last_year", "上年度“三公经费”预算数", "上年度“三公经费”预算数（万元）"),
    ), udf="PREVAL_SANGONGCHANGE", template="({0}−{1})/{1}"),
    RateSpec("sangong_control", "“三公经费”控制率", (
        Operand("三公实际", "actual", "“三公经费”实际支出数", "“三公经费”实际支出数（万元）"),
        Operand("三公预算本年", "budget", "“三公经费”预算安排数", "“三公经费”预算安排数（万元）"),
    ), udf="PREVAL_SANGONGRATE"),
    RateSpec("keyspend", "重点支出安排率", (
        Operand("重点支出实际", "actual", "重点支出实际数", "重点支出实际数（万元，剔除往来款等）"),
        Operand("重点支出预算", "budget", "重点支出预算数", "重点支出预算数（万元）"),
    ), udf="PREVAL_KEYSPENDRATE"),
    RateSpec("nontax", "非税收入完成率", (
        Operand("非税收入实际", "actual", "非税收入实际完成数", "非税收入实际完成数（万元）"),
        Operand("非税收入预算", "budget", "非税收入预算数", "非税收入预算数（万元）"),
    ), udf="PREVAL_NONTAXRATE"),
    RateSpec("exec", "预算执行率", (
        Operand("预算执行数", "spent", "本年预算执行数", "本年预算执行数（万元）"),
        Operand("全年预算", "budget", "全年预算数", "全年预算数（万元）"),
    ), udf="PREVAL_EXECRATE"),
    AdjustRateSpec("adjust", "预算调整率", (
        Operand("预算调整数", "adjustment", "预算调整数", "预算调整数（万元）=追加+追减（按评分档案另加上年结转、其他收入）−调整剔除数"),
        Operand("预算数", "base", "预算数", "预算数（万元），按评分档案取全年预算−剔除数或年初预算"),
    ), udf="PREVAL_ADJUSTRATE"),
    RateSpec("carryover", "结转结余率", (
        Operand("结转结余", "carryover", "年末结转和结余", "年末结转和结余（万元，决算数）"),
        Operand("全年预算", "budget", "支出预算数", "支出预算数（万元）"),
    ), udf="PREVAL_CARRYOVERRATE"),
    RateSpec("publiccost", "公用经费控制率", (
        Operand("公用经费实际", "actual", "公用经费实际支出", "公用经费实际支出（万元）"),
        Operand("公用经费预算", "budget", "公用经费预算", "公用经费预算（万元）"),
    ), udf="PREVAL_PUBLICCOSTRATE"),
    RateSpec("procure", "政府采购执行率", (
        Operand("采购实际", "actual", "实际政府采购金额", "实际政府采购金额（万元）"),
        Operand("采购预算", "budget", "政府采购预算数", "政府采购预算数（万元）"),
    ), udf="PREVAL_PROCURERATE"),
    RateSpec("completion", "实际完成率", (
        Operand("实际完成数", "done", "实际完成工作数", "实际完成工作数"), _DONE_OF_PLANNED,
    ), udf="PREVAL_COMPLETIONRATE"),
    RateSpec("timely", "完成及时率", (
        Operand("及时完成数", "done", "按时限完成的工作数", "按时限完成的工作数"), _DONE_OF_PLANNED,
    ), udf="PREVAL_TIMELYRATE"),
    RateSpec("quality", "质量达标率", (
        Operand("质量达标数", "done", "质量达标的工作数", "质量达标的工作数"), _DONE_OF_PLANNED,
    ), udf="PREVAL_QUALITYRATE"),
    RateSpec("keytask", "重点工作办结率", (
        Operand("重点完成数", "done", "重点工作实际完成数", "重点工作实际完成数"),
        Operand("重点交办数", "planned", "重点工作交办或下达数", "重点工作交办或下达数"),
    ), udf="PREVAL_KEYTASKRATE"),
    IdentitySpec("satisfaction", "满意率", (Operand("满意率"),), template="{0}"),
    # issue 17: indicators of other Hunan rubrics, over the optional inputs
    RateSpec("project_exec", "项目资金执行率", (
        Operand("项目支出", "spent", "项目支出实际数", "项目支出实际数（万元）"),
        Operand("项目预算", "budget", "项目支出预算数", "项目支出预算数（万元）"),
    ), udf="PREVAL_PROJECTEXECRATE"),
    ChangeRateSpec("carryover_change", "结转结余变动率", (
        Operand("结转结余", "this_year", "本年末结转和结余", "本年末结转和结余（万元）"),
        Operand("上年结转结余", "last_year", "上年末结转和结余", "上年末结转和结余（万元）"),
    ), udf="PREVAL_CARRYOVERCHANGE", template="({0}−{1})/{1}"),
    IdentitySpec("payment", "支付进度", (Operand("支付进度"),), template="{0}"),
)

RATES: dict[str, RateSpec] = {spec.id: spec for spec in _SPECS}
BY_UDF: dict[str, RateSpec] = {spec.udf: spec for spec in _SPECS if spec.udf}
