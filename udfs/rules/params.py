"""The typed parameters of rule kinds: ``Params``, the base of every kind's own dataclass,
and the pieces several kinds share (``Over``, ``Band``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class Params:
    """A kind's parameters; a kind without any has this one."""


@dataclass(frozen=True)
class Over:
    """"每超出 step 扣 deduct 分": the penalty beyond ``start`` (above it for ``over``, below
    it for ``under``). ``start`` is 100% but for a "steps" part, whose rubric names it:
    "变动率为正数的，每增加1个百分点扣0.5分" is over from 0, "每低于5%扣2分" under from 100%."""

    step: Decimal
    deduct: Decimal
    start: Decimal = Decimal(1)


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


class Scored(Protocol):
    """What a rule reads of the part it scores (``udfs.profile.model.Part`` is one): rules
    are stated below the profile and do not know the rest of it."""

    @property
    def label(self) -> str: ...

    @property
    def points(self) -> Decimal | None: ...

    @property
    def params(self) -> Params: ...

    @property
    def full(self) -> Decimal: ...
