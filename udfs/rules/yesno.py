"""``yesno``: full points for 是, none for 否 or blank."""

from __future__ import annotations

from dataclasses import dataclass

from udfs.contract import NO, YES
from udfs.errors import RuleValueError
from udfs.money import ZERO, fmt_num
from udfs.rules import fields as F
from udfs.rules.base import INPUT, Params, Rule
from udfs.rules.formula import num, text, trimmed


@dataclass(frozen=True, kw_only=True)
class ValueParams(Params):
    input: str  # the 是/否 or category input (a defined name)


def as_typed(value: object) -> str:
    """A 是/否 or category cell as the workbook's formulas read it (TRIM: spaces only)."""
    return "" if value is None else str(value).strip(" ")


class YesNo(Rule):
    """Full points when the input is 是; 否 or an empty cell scores 0; any other text cannot
    be scored (the workbook's dropdown offers 是 and 否).

    附件1 预算执行率 ②: "实施项目资金运行监控的得2分，未实施的不得分" (input 绩效监控). Example:
    是 scores 2, 否 scores 0.
    """

    kind = "yesno"
    title = "是否"
    scored_from = INPUT
    params = ValueParams
    fields = (F.INPUT,)
    examples = (({"input": "绩效监控", "points": 2}, "是", "2"), ({"input": "绩效监控", "points": 2}, "否", "0"),
                ({"input": "绩效监控", "points": 2}, " 是 ", "2"), ({"input": "绩效监控", "points": 2}, "", "0"))

    def score(self, part, value, options):
        text = as_typed(value)
        if text == YES:
            return part.full, f"{part.label}：是，计{fmt_num(part.full)}分"
        if text in (NO, ""):
            return ZERO, f"{part.label}：{text or '未填'}，不得分"
        raise RuleValueError(f"{part.label}应填“是”或“否”，实际为“{text}”")

    def formula(self, part, x, options):
        text = trimmed(x)
        return f'IF({text}="{YES}",{num(part.full)},IF(OR({text}="{NO}",{text}=""),0,NA()))'

    def words_formula(self, part, x, options):
        typed = trimmed(x)
        yes, no, blank = (text(f"{part.label}：{w}") for w in (f"是，计{fmt_num(part.full)}分", "否，不得分", "未填，不得分"))
        return f'IF({typed}="{YES}",{yes},IF({typed}="{NO}",{no},IF({typed}="",{blank},NA())))'

    def edges(self, part):
        return (YES, NO, "", f" {YES} ", "也许", None)


RULE = YesNo()
