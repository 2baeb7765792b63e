"""How a rubric reads its own words: the options of a profile (``[options]`` of its TOML).

The rules (``udfs.rules``) and the rates (``udfs.rates``) read them; the profile
(``udfs.profile``) carries them. They live below both so that a rule kind can be stated
without knowing what a profile is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ADJUST_DENOMINATORS = ("全年预算减剔除", "年初预算")


@dataclass(frozen=True)
class Options:
    sangong_zero_change_points: Decimal = Decimal(1)
    adjust_denominator: str = "全年预算减剔除"
    # "以上"/"以下"/"以内" include the number itself (民法典第1259条)
    yishang_inclusive: bool = True
    rate_places: int = 4
    score_places: int = 2
    over_step: str = "floor"  # a step begun: not deducted (floor) or deducted (ceil)
    grade_step_down: bool = True
    # the budget parts 预算调整率 counts as adjustment (before 调整剔除数 is taken off)
    adjust_parts: tuple[str, ...] = ("追加预算", "追减预算")
