"""A rubric profile as frozen dataclasses: indicators, their parts and rule kinds, options,
grades, advice. Built by ``udfs.profile.loading`` from ``udfs/profiles/*.toml``.

The rubric is data: weights, bands, deduction steps and grade limits live in the profile
files; the kinds of rule are ``udfs.rules``, one file each. Neither knows a city's numbers:
whatever names a section, a grade or a limit is read from the profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from udfs.errors import ProfileError
from udfs.money import fmt_num
from udfs.options import ADJUST_DENOMINATORS, Options
from udfs.rules import DEDUCTIVE, KINDS, QUANTITATIVE, RATED, REGISTRY, Band, Over, Params, Rule
from udfs.rules.base import FINDINGS, INPUT, RATE

DEFAULT_PROFILE = "shaoyang-2022"

WHOLE = "—"  # 子项 of a finding that applies to the whole indicator
SUBITEM_IDS = "①②③④⑤⑥⑦⑧⑨⑩"  # how 附件1 numbers sub-items; the workbook has a column for each
TOTAL_POINTS = 100  # 附件1 is 100 points; the grade lines (90/80/60) are read on that scale
# How big a rubric can be (issue 31): a hundred times the shipped one (15,777 characters, 28
# indicators, at most 7 parts and 4 bands, the longest text 309 characters), and within what
# the workbook's formulas can state: Excel nests at most 64 functions, and a band or a category
# is one IF. A carried rubric past these is refused before it is parsed or compiled.
MAX_RUBRIC_CHARS = 500_000
MAX_ITEMS = {"indicator": 100, "grade": 20}  # any other list of a rubric: MAX_LIST
MAX_LIST = 50
MAX_TEXT = 2_000
CRITERIA_CHARACTERS = "*?~<>="  # SUMIFS reads them in an indicator's name as wildcards and comparisons

__all__ = ["ADJUST_DENOMINATORS", "DEDUCTIVE", "KINDS", "QUANTITATIVE", "RATED", "Band", "Options", "Over"]


@dataclass(frozen=True)
class Part:
    """One sub-item of an indicator: what every kind has (its number, kind, label, points and
    how a 扣分记录 row names it) and the kind's own typed parameters (``params``, a
    ``udfs.rules`` Params: a ratio's over-steps, a category's points, ...)."""

    id: str
    kind: str
    label: str
    points: Decimal | None = None
    # what a 扣分记录 row names this sub-item by, when the rubric's number is not enough: 附件1's
    # 资产管理安全性 ④ has two halves with their own caps ("④采购" 0.3, "④外租" 0.2); the part's
    # id is then the workbook column its deductions are summed in
    choice: str = ""
    params: Params = Params()

    @property
    def rule(self) -> Rule:
        return REGISTRY[self.kind]

    @property
    def rate(self) -> str:
        """The rate id a part scored from a rate reads ("" for other kinds)."""
        return self.params.rate if self.rule.scored_from == RATE else ""  # type: ignore[attr-defined]

    @property
    def input(self) -> str:
        """The input a 是/否 or category part reads ("" for other kinds)."""
        return self.params.input if self.rule.scored_from == INPUT else ""  # type: ignore[attr-defined]

    @property
    def shown(self) -> str:
        """The sub-item as the rubric and the 子项 dropdown write it."""
        return self.choice or self.id

    @property
    def quantitative(self) -> bool:
        return self.rule.scored_from != FINDINGS

    @property
    def rated(self) -> bool:
        """Scored from a computed rate."""
        return self.rule.scored_from == RATE

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
        return first if first is not None and first.rated else None

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
class Profile:
    name: str
    title: str
    source: str
    options: Options
    grades: tuple[tuple[Decimal, str], ...]
    indicators: tuple[Indicator, ...]
    # 二级指标 -> a recommendation the report gives when that group lost points
    advice: tuple[tuple[str, str], ...] = ()

    def advice_for(self, name: str) -> str:
        """The report's suggestion for a 三级指标 (by its name) or a 二级指标 that lost points."""
        return dict(self.advice).get(name, "")

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
