"""``veto``: one case zeroes the whole indicator."""

from __future__ import annotations

from udfs.rules.deductive import DeductiveRule


class Veto(DeductiveRule):
    """Any deduction on the sub-item, however small, scores the whole indicator 0 (一票否决);
    the amount is not checked against the cap.

    附件1 资金使用合规性 ⑤: "没有截留、挤占、挪用、虚列支出等情况…发生1例全扣". Example: 资金使用合规性
    of 7 points with 0.1 deducted on ⑤ scores 0.
    """

    kind = "veto"
    title = "一票否决"
    vetoes = True
    examples = (({"points": 1}, "0", "1"), ({"points": 1}, "1", "0"))


RULE = Veto()
