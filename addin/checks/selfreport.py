"""V402–V404: the department's own figures against what its data supports. Seed reports
self-score 98 on figures that give far less, and print rates their own counts do not give
(邵东 2022: 市长信箱 受理108件、办结104件, "办结率96.42%"; 104/108 = 96.30%)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from addin.books.protocol import ReadBook
from addin.case import Case
from addin.checks import Problem, problem
from addin.workbook import layout as L
from udfs.engine import Evaluation
from udfs.errors import NotANumber
from udfs.inputs import Inputs
from udfs.money import HUNDRED, fmt_num, fmt_pct, quantize, to_decimal
from udfs.profile import Profile

RATE_PLACES = 4  # a printed rate has 2 decimals of a percent


@dataclass(frozen=True)
class Claim:
    """One figure from the 评分表 self-report columns."""

    no: int
    name: str
    is_score: bool  # 部门自评得分 (else 部门自报比率)
    value: Decimal
    cell: str


def _claimed(raw: object) -> Decimal | None:
    """A number, or text as it is printed in a report ("96.42%")."""
    if isinstance(raw, str) and raw.strip().endswith(("%", "％")):
        value = to_decimal(raw.strip()[:-1])
        return None if value is None else value / HUNDRED
    return to_decimal(raw)


def read_claims(book: ReadBook, profile: Profile, version: str) -> tuple[list[Problem], list[Claim]]:
    """The filled self-report cells of 评分表; a cell that is not a number is a V102."""
    first, last = L.row_of(1), L.row_of(len(profile.indicators))
    layout = L.Layout(profile, version)
    rows = book.block(L.SCORES, first, last, layout.self_score)
    problems, claims = [], []
    for ind, values in zip(profile.indicators, rows, strict=True):
        for column in (layout.self_rate, layout.self_score):
            raw, cell = values[column - 1], f"{L.col(column)}{L.row_of(ind.no)}"
            if column == layout.self_rate and ind.rate_part is None:
                continue  # a grey cell: the indicator has no rate
            label = L.SELF_HEADER[column - layout.self_rate]
            try:
                value = _claimed(raw)
            except NotANumber:
                want = "百分比，如 96.42%" if column == layout.self_rate else "分数，如 1.5"
                problems.append(problem("V102", L.SCORES, cell, f"{ind.name}{label}",
                                        f"{ind.name}的{label}应为{want}", want, raw))
                continue
            if value is not None:
                claims.append(Claim(ind.no, ind.name, column == layout.self_score, value, cell))
    return problems, claims


def check_self_report(case: Case, inputs: Inputs, ev: Evaluation, claims: Sequence[Claim] = ()) -> list[Problem]:
    found = []
    claimed = inputs["自评总分"]
    if claimed is not None and abs(claimed - ev.total) >= Decimal("0.01"):
        loc = case.inputs["自评总分"]
        found.append(problem("V402", loc.sheet, loc.cell, "自评总分",
                             f"自评总分{fmt_num(claimed)}分，按填报数据计算为{fmt_num(ev.total)}分（{ev.grade}），"
                             f"相差{fmt_num(abs(claimed - ev.total))}分", fmt_num(ev.total), fmt_num(claimed)))
    by_no = {r.no: r for r in ev.indicators}
    for claim in claims:
        result = by_no[claim.no]
        if claim.is_score:
            if abs(claim.value - result.score) >= Decimal("0.01"):
                found.append(problem(
                    "V403", L.SCORES, claim.cell, claim.name,
                    f"{claim.name}：部门自评{fmt_num(claim.value)}分，按填报数据计算为{fmt_num(result.score)}分"
                    f"（{result.basis}）", fmt_num(result.score), fmt_num(claim.value)))
        elif result.rate is None or quantize(claim.value, RATE_PLACES) != quantize(result.rate, RATE_PLACES):
            computed = "无法计算" if result.rate is None else fmt_pct(result.rate)
            percent_slip = result.rate is not None and \
                quantize(claim.value / HUNDRED, RATE_PLACES) == quantize(result.rate, RATE_PLACES)
            found.append(problem(
                "V404", L.SCORES, claim.cell, claim.name,
                f"{claim.name}：部门自报{fmt_pct(claim.value)}，按填报数据计算为{computed}"
                + ("（看起来把百分数填成了数字，应填 " + fmt_pct(result.rate) + "）" if percent_slip else "")
                + f"。{result.basis}", computed, fmt_pct(claim.value)))
    return found
