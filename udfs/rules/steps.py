"""``steps``: full points within a target, each step beyond it deducts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from udfs.errors import ProfileError, term
from udfs.money import ZERO, fmt_num
from udfs.rules import fields as F
from udfs.rules.base import Over, pct, whole_steps
from udfs.rules.formula import joined, num, shown, step_count, text
from udfs.rules.rated import RatedParams, RatedRule


@dataclass(frozen=True, kw_only=True)
class StepsParams(RatedParams):
    over: Over | None = None  # the penalty above over.start
    under: Over | None = None  # the penalty below under.start


@dataclass(frozen=True)
class _Side:
    """One direction of the target: above ``over.start`` or below ``under.start``."""

    penalty: Over
    below: bool

    @property
    def word(self) -> str:
        return "低于" if self.below else "高于"

    def beyond(self, rate: Decimal) -> bool:
        return rate < self.penalty.start if self.below else rate > self.penalty.start

    def distance(self, rate: Decimal) -> Decimal:
        return self.penalty.start - rate if self.below else rate - self.penalty.start


def _sides(part) -> tuple[_Side, ...]:
    params = part.params
    return tuple(_Side(p, below) for p, below in ((params.over, False), (params.under, True)) if p is not None)


class Steps(RatedRule):
    """Full points while the rate is within the target (not above ``over.from``, not below
    ``under.from``); each step beyond it deducts, floor 0. The rubric names the thresholds
    and the directions.

    A variant's “三公经费”变动率: "变动率为正数的，每增加1个百分点扣0.5分" (over from 0); 实际完成率
    "每低于5%扣2分" (under from 100%). Example, over from 0 by 1% for 0.5 of 2 points: 3.5% scores
    0.5 (three whole steps); 0% scores 2.
    """

    kind = "steps"
    title = "超出或低于目标按档扣分"
    params = StepsParams
    fields = (*F.RATED, F.penalty("over", "高于目标每档扣分", with_start=True),
              F.penalty("under", "低于目标每档扣分", with_start=True))
    _UP = {"rate": "sangong_change", "points": 2, "over": {"step": 0.01, "deduct": 0.5, "from": 0}}
    _DOWN = {"rate": "completion", "points": 4, "under": {"step": 0.05, "deduct": 2, "from": 1}}
    examples = ((_UP, "0.035", "0.5"), (_UP, "0", "2"), (_UP, "-0.2", "2"), (_UP, "0.05", "0"),
                (_DOWN, "0.95", "2"), (_DOWN, "0.9499", "2"), (_DOWN, "0.9", "0"), (_DOWN, "1.2", "4"))

    def check(self, params, where):
        if params.over is None and params.under is None:
            raise ProfileError(f"{where}: {term('steps')} 规则需要 {term('over')} 或 {term('under')}（超出或低于多少扣多少分）",
                               key="over")
        if params.over is not None and params.under is not None and params.under.start > params.over.start:
            raise ProfileError(f"{where}: under.from 不能大于 over.from")

    def score(self, part, value, options):
        # the arithmetic: the whole steps beyond the target on each side
        counted = [(side, whole_steps(side.distance(value), side.penalty.step, options.over_step))
                   for side in _sides(part) if side.beyond(value)]
        deducted = sum((side.penalty.deduct * n for side, n in counted if n), ZERO)
        score = max(part.full - deducted, ZERO)
        # the words: the rubric's rule and what it deducted, side by side (the basis line adds "，得…分")
        if not counted:
            bounds = [f"{'不低于' if s.below else '不高于'}{pct(s.penalty.start)}" for s in _sides(part)]
            return part.full, f"{'且'.join(bounds)}，计满分{fmt_num(part.full)}分"
        said = [f"{side.word}{pct(side.penalty.start)}，每{side.word}{pct(side.penalty.step)}扣{fmt_num(side.penalty.deduct)}分，"
                + (f"扣{fmt_num(side.penalty.deduct * n)}分" if n else "不足一档不扣分") for side, n in counted]
        capped = f"，扣完为止（实扣{fmt_num(part.full)}分）" if deducted > part.full else ""
        return score, "；".join(said) + capped

    def formula(self, part, x, options):
        cuts = []
        for side in _sides(part):
            start = num(side.penalty.start)
            beyond = f"{x}<{start}" if side.below else f"{x}>{start}"
            count = step_count(x, side.penalty.step, options, start, side.below)
            cuts.append(f"IF({beyond},{num(side.penalty.deduct)}*{count},0)")
        return f"MAX({num(part.full)}-{'-'.join(cuts)},0)"

    def words_formula(self, part, x, options):
        sides = _sides(part)
        beyond, cuts, said = [], [], []
        for side in sides:
            start = num(side.penalty.start)
            test = f"{x}<{start}" if side.below else f"{x}>{start}"
            count = step_count(x, side.penalty.step, options, start, side.below)
            cut = f"{num(side.penalty.deduct)}*{count}"
            rule = f"{side.word}{pct(side.penalty.start)}，每{side.word}{pct(side.penalty.step)}扣{fmt_num(side.penalty.deduct)}分，"
            words = f'IF({count}>0,{joined(text("扣"), shown(cut), text("分"))},{text("不足一档不扣分")})'
            beyond.append(test)
            cuts.append(f"IF({test},{cut},0)")
            said.append(f'IF({test},{joined(text("；" + rule), words)},"")')  # MID drops the first "；"
        bounds = "且".join(f"{'不低于' if s.below else '不高于'}{pct(s.penalty.start)}" for s in sides)
        capped = f'IF(ROUND({"+".join(cuts)},9)>{num(part.full)},{text(f"，扣完为止（实扣{fmt_num(part.full)}分）")},"")'
        return (f'IF(OR({",".join(beyond)}),MID({"&".join(said)},2,8000)&{capped},'
                f'{text(f"{bounds}，计满分{fmt_num(part.full)}分")})')

    def edges(self, part):
        out = [Decimal(-1), Decimal(0), Decimal(1), Decimal(2)]
        for side in _sides(part):
            for n in (0, 1, 2, 3, 4, 50):
                edge = side.penalty.start + (-n if side.below else n) * side.penalty.step
                out += [edge - Decimal("0.0001"), edge, edge + Decimal("0.0001")]
        return tuple(out)


RULE = Steps()
