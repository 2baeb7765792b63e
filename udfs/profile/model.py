"""A rubric profile as frozen dataclasses: indicators, their parts and rule kinds, options,
grades, advice. Built by ``udfs.profile.loading`` from ``udfs/profiles/*.toml``.

The rubric is data: weights, bands, deduction steps and grade limits live in the profile
files. This package knows the *kinds* of rule, never a city's numbers: whatever names a
section, a grade or a limit is read from the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from udfs.errors import ProfileError
from udfs.money import fmt_num

DEFAULT_PROFILE = "shaoyang-2022"

# rule kinds of a part (design.md, "The rubric is data")
RATED = ("ratio", "ceiling", "bands", "steps")  # scored from a computed rate (rules.RATE_RULES)
QUANTITATIVE = RATED + ("yesno", "category")
DEDUCTIVE = ("deduct", "all_or_nothing", "veto", "judgement")
KINDS = QUANTITATIVE + DEDUCTIVE
WHOLE = "—"  # 子项 of a finding that applies to the whole indicator
SUBITEM_IDS = "①②③④⑤⑥⑦⑧⑨⑩"  # how 附件1 numbers sub-items; the workbook has a column for each
MAX_BANDS = 20  # a band rule compiles to nested IFs: Excel allows 64 levels, a rubric has a handful
TOTAL_POINTS = 100  # 附件1 is 100 points; the grade lines (90/80/60) are read on that scale
CRITERIA_CHARACTERS = "*?~<>="  # SUMIFS reads them in an indicator's name as wildcards and comparisons

ADJUST_DENOMINATORS = ("全年预算减剔除", "年初预算")


@dataclass(frozen=True)
class Band:
    points: Decimal
    label: str
    min: Decimal | None = None
    max: Decimal | None = None
    min_incl: bool = True
    max_incl: bool = True

    def contains(self, value: Decimal) -> bool:
        if self.min is not None and (value < self.min or (value == self.min and not self.min_incl)):
            return False
        if self.max is not None and (value > self.max or (value == self.max and not self.max_incl)):
            return False
        return True


@dataclass(frozen=True)
class Over:
    """"每超出 step 扣 deduct 分": the penalty beyond ``start`` (above it for ``over``, below
    it for ``under``). ``start`` is 100% but for a "steps" part, whose rubric names it:
    "变动率为正数的，每增加1个百分点扣0.5分" is over from 0, "每低于5%扣2分" under from 100%."""

    step: Decimal
    deduct: Decimal
    start: Decimal = Decimal(1)


@dataclass(frozen=True)
class Part:
    id: str
    kind: str
    label: str
    points: Decimal | None = None
    rate: str = ""
    input: str = ""
    # per_case and steps do not change a score (the evaluator's amount stands, design.md);
    # they are the rubric's amounts, kept for validation to flag a differing deduction (提示).
    per_case: Decimal | None = None
    steps: tuple[Decimal, ...] = ()
    over: Over | None = None
    under: Over | None = None  # steps only: the penalty below a target
    full_at: Decimal | None = None  # ratio only: full points from this rate up ("95%以上得满分")
    bands: tuple[Band, ...] = ()
    map: dict[str, Decimal] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    both_zero: str = ""  # "full" | "zero" | "as_zero" (as a rate of 0): score when numerator and denominator are 0
    zero_base: str = ""  # "full" | "zero": score when only the denominator is 0
    # what a 扣分记录 row names this sub-item by, when the rubric's number is not enough: 附件1's
    # 资产管理安全性 ④ has two halves with their own caps ("④采购" 0.3, "④外租" 0.2); the part's
    # id is then the workbook column its deductions are summed in
    choice: str = ""

    @property
    def shown(self) -> str:
        """The sub-item as the rubric and the 子项 dropdown write it."""
        return self.choice or self.id

    @property
    def quantitative(self) -> bool:
        return self.kind in QUANTITATIVE

    @property
    def full(self) -> Decimal:
        """The part's points. Every part scored on its own has them: the loader requires
        them of value parts always and of deductive parts unless the cap is shared."""
        if self.points is None:
            raise ProfileError(f"{self.label}：评分档案未给出分值")
        return self.points


@dataclass(frozen=True)
class Condition:
    """The whole indicator scores 0 when ``rate`` is above ``above``."""

    rate: str
    above: Decimal
    label: str


@dataclass(frozen=True)
class Indicator:
    no: int
    level1: str
    level2: str
    name: str
    weight: Decimal
    parts: tuple[Part, ...]
    explain: str = ""
    standard: str = ""
    evidence: str = ""
    aliases: tuple[str, ...] = ()
    shared_cap: bool = False
    zero_if: tuple[Condition, ...] = ()

    @property
    def value_parts(self) -> tuple[Part, ...]:
        """Parts scored from a value (rate, 是/否, category), in order."""
        return tuple(p for p in self.parts if p.quantitative)

    @property
    def rate_part(self) -> Part | None:
        """The part scored from the indicator's rate (its 比率 on 指标计算), if it has one."""
        first = self.value_parts[0] if self.value_parts else None
        return first if first is not None and first.kind in RATED else None

    @property
    def finding_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if not p.quantitative)

    def part(self, part_id: str) -> Part | None:
        """The part of this id (its workbook column)."""
        return next((p for p in self.parts if p.id == part_id), None)

    def chosen(self, subitem: str) -> Part | None:
        """The part a 扣分记录 row names (by the rubric's number, or its ``choice``)."""
        return next((p for p in self.parts if p.shown == subitem), None)

    def deductible(self, subitem: str) -> bool:
        """A 扣分记录 row may name this sub-item (or "—", the whole indicator)."""
        part = self.chosen(subitem)
        return subitem == WHOLE or (part is not None and not part.quantitative)

    @property
    def deductible_ids(self) -> str:
        """The sub-items a deduction may name, for messages: "①、②" or "无"."""
        return "、".join(p.shown for p in self.finding_parts) or "无"


@dataclass(frozen=True)
class Options:
    sangong_zero_change_points: Decimal = Decimal(1)
    adjust_denominator: str = "全年预算减剔除"
    yishang_inclusive: bool = True
    rate_places: int = 4
    score_places: int = 2
    over_step: str = "floor"
    grade_step_down: bool = True
    # the budget parts 预算调整率 counts as adjustment (before 调整剔除数 is taken off)
    adjust_parts: tuple[str, ...] = ("追加预算", "追减预算")


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source: str
    options: Options
    grades: tuple[tuple[Decimal, str], ...]
    indicators: tuple[Indicator, ...]
    # 二级指标 -> a recommendation the report gives when that group lost points
    advice: tuple[tuple[str, str], ...] = ()

    def advice_for(self, level2: str) -> str:
        return dict(self.advice).get(level2, "")

    def indicator(self, key: str | int) -> Indicator | None:
        """By number (1–28), name or alias."""
        if isinstance(key, int) or (isinstance(key, str) and key.strip().isascii() and key.strip().isdigit()):
            no = int(key)  # "①" and "²" are digits to str.isdigit(), not to int()
            return next((i for i in self.indicators if i.no == no), None)
        key = str(key).strip()
        return self._by_name.get(key)

    @property
    def _by_name(self) -> dict[str, Indicator]:
        table = self.__dict__.get("_names")
        if table is None:
            table = {}
            for ind in self.indicators:
                for name in (ind.name, *ind.aliases):
                    table[name] = ind
            object.__setattr__(self, "_names", table)
        return table

    def section_weights(self) -> dict[str, Decimal]:
        weights: dict[str, Decimal] = {}
        for ind in self.indicators:
            weights[ind.level1] = weights.get(ind.level1, Decimal(0)) + ind.weight
        return weights

    @property
    def sections(self) -> tuple[str, ...]:
        """The 一级指标 in the rubric's order (投入, 过程, 产出, 效果 in the reference rubric)."""
        return tuple(self.section_weights())

    @property
    def grade_names(self) -> tuple[str, ...]:
        """Grades from the best down (优, 良, 中, 差)."""
        return tuple(name for _, name in self.grades)

    def grade_wording(self) -> str:
        """The grade limits as a sentence: "90分及以上为优，80–90分为良，…，60分以下为差"."""
        parts, upper = [], None
        for low, name in self.grades:
            if upper is None:
                parts.append(f"{fmt_num(low)}分及以上为{name}")
            elif low == 0:
                parts.append(f"{fmt_num(upper)}分以下为{name}")
            else:
                parts.append(f"{fmt_num(low)}–{fmt_num(upper)}分为{name}")
            upper = low
        return "，".join(parts)
