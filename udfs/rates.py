"""Every rate of the rubric (附件1 formulas), each stated once: one row of ``RATES``.

A row says what the rate is called and which PREVAL_* cell function computes it, with that
function's arguments (name, the label a cell's message uses, the function-wizard help). Its
numerator and denominator are stated once (``terms``, each a ``Term``) and give the exact
Decimal value, the workbook's own formula (native_terms) and the working a basis line
prints with the real numbers ("(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)").
Profiles name rates by id ("staff", "adjust", ...).

The engine calls ``spec.compute(values, options)``, a PREVAL_* cell ``spec.of(a, b)``: the
same division. A PREVAL_ADJUSTRATE cell is handed its two sums by the spreadsheet, which
adds in binary; the engine adds the amounts in Decimal. Rates are exact fractions (format
as %); rounding for scoring happens in the engine at the profile's precision. An empty or
zero denominator raises ``DomainError`` naming the input, so callers can say which cell is
wrong.
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


def input_formula(name: str) -> str:
    """``fmt_input`` as a worksheet formula over the defined name (a blank amount that counts
    0 shows 0.00, as the engine reads it)."""
    spec = BY_NAME[name]
    ref = f"N({name})" if spec.blank_is_zero else name
    if spec.kind == COUNT:
        return f'ROUND({ref},9)&""'
    if spec.kind == RATE:
        return f'TEXT(ROUND({ref},4),"0.00%")'  # half-up, as fmt_pct
    return f'TEXT(ROUND({ref},2),"0.00")'


@dataclass(frozen=True)
class Operand:
    """One quantity a rate divides: the input it reads and the PREVAL_* argument for it."""

    name: str  # the defined name it reads (or the quantity's name when computed)
    arg: str = ""  # the PREVAL_* argument (ASCII: the VBA wrapper uses it)
    label: str = ""  # how a cell's message names a bad argument
    help: str = ""  # function-wizard help of the argument (< 255 characters)


@dataclass(frozen=True)
class Term:
    """A numerator or denominator: one input, or a sum of inputs less others. Stated once,
    it gives the exact Decimal value, the worksheet expression and the printed working."""

    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.plus + self.minus

    def value(self, values: Mapping[str, Decimal | None]) -> Decimal:
        total = ZERO
        for name in self.names:
            value = values.get(name)
            if value is None:
                raise DomainError(f"{name}为空", name=name, code="#VALUE!")
            total += -value if name in self.minus else value
        return total

    def formula(self, bare: bool = False) -> str:
        """Over the defined names: "全年预算", "(追加预算+追减预算-调整剔除数)"."""
        text = "+".join(self.plus) + "".join(f"-{name}" for name in self.minus)
        return text if bare or len(self.names) == 1 else f"({text})"

    def working_formula(self) -> str:
        """``working`` as a worksheet formula over the defined names."""
        if len(self.names) == 1:
            return input_formula(self.plus[0])
        pieces = ['"("', '&"+"&'.join(input_formula(n) for n in self.plus)]
        pieces += [f'"−"&{input_formula(n)}' for n in self.minus] + ['")"']
        return "&".join(pieces)

    def working(self, values: Mapping[str, Decimal | None]) -> str:
        """With the real numbers, as a basis line prints it: "34", "(24.00−24.00)"."""
        if len(self.names) == 1:
            return fmt_input(self.plus[0], values.get(self.plus[0]))
        return ("(" + "+".join(fmt_input(n, values.get(n)) for n in self.plus)
                + "".join(f"−{fmt_input(n, values.get(n))}" for n in self.minus) + ")")


@dataclass(frozen=True)
class RateSpec:
    """A rate = numerator / denominator (``terms``), over the inputs; its PREVAL_* cell
    function takes its ``operands``."""

    id: str
    label: str
    operands: tuple[Operand, ...]
    udf: str = ""  # the PREVAL_* cell function of this rate ("" = none)

    @property
    def args(self) -> tuple[str, ...]:
        """The PREVAL_* function's operands, in its argument order."""
        return tuple(op.name for op in self.operands)

    def terms(self, options) -> tuple[Term, Term | None]:
        """(numerator, denominator) over the inputs; None: no division (a rate typed in)."""
        return Term((self.args[0],)), Term((self.args[1],))

    def udf_terms(self) -> tuple[Term, Term | None]:
        """The same over the PREVAL_* function's operands."""
        return self.terms(None)

    def of(self, *values: Decimal | None) -> Decimal:
        """The rate of the operands (what the PREVAL_* cell function computes)."""
        numerator, denominator = self.udf_terms()
        return _divide(numerator, denominator, dict(zip(self.args, values, strict=True)))

    def inputs_used(self, options) -> tuple[str, ...]:
        numerator, denominator = self.terms(options)
        return tuple(dict.fromkeys(numerator.names + (denominator.names if denominator else ())))

    def denominator(self, options) -> str:
        """The input a zero denominator is reported on."""
        numerator, denominator = self.terms(options)
        return (denominator or numerator).plus[0]

    def numerator(self, values: Mapping[str, Decimal], options) -> Decimal:
        """The numerator, for telling 0/0 (no such item) from x/0; every input is a number."""
        return self.terms(options)[0].value(values)

    def cell_formula(self, options) -> str:
        """The worksheet formula (without "=") over the defined names, as 指标计算 has it."""
        if not self.udf:
            return self.args[0]
        return f"{self.udf}({','.join(self.cell_args(options))})"

    def cell_args(self, options) -> tuple[str, ...]:
        """The PREVAL_* call's arguments over the defined names."""
        return self.args

    def native_terms(self, options) -> tuple[str, str | None]:
        """(numerator, denominator) as worksheet expressions over the defined names, for
        the workbook's own formulas (addin.workbook.native); None: no division."""
        numerator, denominator = self.terms(options)
        return numerator.formula(), denominator.formula() if denominator else None

    def compute(self, values: Mapping[str, Decimal | None], options) -> tuple[Decimal, str]:
        """(exact rate, the working with the numbers: "29/34") — raises DomainError."""
        numerator, denominator = self.terms(options)
        working = numerator.working(values) + (f"/{denominator.working(values)}" if denominator else "")
        try:
            return _divide(numerator, denominator, values), working
        except DomainError as exc:
            raise self._refined(exc, values, options, working) from None

    def working_formula(self, options) -> str:
        """The working of ``compute`` ("29/34") as a worksheet formula over the defined names:
        the 评分说明's live 计算过程 (addin.workbook.live_notes)."""
        numerator, denominator = self.terms(options)
        return numerator.working_formula() + (f'&"/"&{denominator.working_formula()}' if denominator else "")

    def _refined(self, exc: DomainError, values, options, working: str) -> DomainError:
        return exc


def _divide(numerator: Term, denominator: Term | None, values: Mapping[str, Decimal | None]) -> Decimal:
    top = numerator.value(values)
    if denominator is None:
        return top
    return ratio(top, denominator.value(values), numerator.plus[0], denominator.plus[0])


class ChangeRateSpec(RateSpec):
    """A change: (first − second) / second."""

    def terms(self, options):
        first, second = self.args
        return Term((first,), (second,)), Term((second,))


class IdentitySpec(RateSpec):
    """A rate typed in directly (满意率): the input itself."""

    def terms(self, options):
        return Term(self.args), None


class AdjustRateSpec(RateSpec):
    """预算调整率: numerator = the profile's ``adjust_parts`` (追加+追减 by default) −
    调整剔除数 (design.md: 追加 and 追减 both count; some rubrics add 上年结转 and 其他收入);
    denominator chosen by the profile option (全年预算 − 调整剔除数 in the reference case,
    年初预算 in other cities). Its PREVAL_* function takes the two sums."""

    @staticmethod
    def _net_of_excluded(options) -> bool:
        return options.adjust_denominator == "全年预算减剔除"

    def terms(self, options):
        base = Term(("全年预算",), ("调整剔除数",)) if self._net_of_excluded(options) else Term(("年初预算",))
        return Term(tuple(options.adjust_parts), ("调整剔除数",)), base

    def udf_terms(self):
        return Term((self.args[0],)), Term((self.args[1],))

    def cell_args(self, options) -> tuple[str, ...]:
        numerator, denominator = self.terms(options)
        return numerator.formula(bare=True), denominator.formula(bare=True)

    def _refined(self, exc, values, options, working):
        numerator, denominator = self.terms(options)
        if exc.name in numerator.names or (self._net_of_excluded(options) and values.get("全年预算") is None):
            return exc  # an empty part of the adjustment, or an empty 全年预算: named as it is
        return DomainError(f"预算调整率的分母（{working.rsplit('/', 1)[1]}）为空或为0", name="全年预算", code=exc.code)


_DONE_OF_PLANNED = Operand("计划工作数", "planned", "计划工作数", "计划工作数")

_SPECS = (
    RateSpec("staff", "在职人员控制率", (
        Operand("在职人数", "in_post", "实有在职人数", "实有在职人数（人），决算口径"),
        Operand("编制数", "posts", "核定编制数", "核定编制数（人）"),
    ), udf="PREVAL_STAFFRATE"),
    ChangeRateSpec("sangong_change", "“三公经费”变动率", (
        Operand("三公预算本年", "this_year", "本年度“三公经费”预算数", "本年度“三公经费”预算数（万元）"),
        Operand("三公预算上年", "last_year", "上年度“三公经费”预算数", "上年度“三公经费”预算数（万元）"),
    ), udf="PREVAL_SANGONGCHANGE"),
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
    IdentitySpec("satisfaction", "满意率", (Operand("满意率"),)),
    # indicators of other Hunan rubrics, over the optional inputs
    RateSpec("project_exec", "项目资金执行率", (
        Operand("项目支出", "spent", "项目支出实际数", "项目支出实际数（万元）"),
        Operand("项目预算", "budget", "项目支出预算数", "项目支出预算数（万元）"),
    ), udf="PREVAL_PROJECTEXECRATE"),
    ChangeRateSpec("carryover_change", "结转结余变动率", (
        Operand("结转结余", "this_year", "本年末结转和结余", "本年末结转和结余（万元）"),
        Operand("上年结转结余", "last_year", "上年末结转和结余", "上年末结转和结余（万元）"),
    ), udf="PREVAL_CARRYOVERCHANGE"),
    IdentitySpec("payment", "支付进度", (Operand("支付进度"),)),
)

RATES: dict[str, RateSpec] = {spec.id: spec for spec in _SPECS}
