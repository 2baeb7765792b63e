"""Load a rubric profile (TOML) into frozen dataclasses, checking every key.

The rubric is data: weights, bands, deduction steps and grade limits live in
``udfs/profiles/*.toml``. This module knows the *kinds* of rule, never a city's numbers.
An unknown key or kind is an error that names the key, so a typo in a profile cannot
silently change a score.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from udfs.contract import BY_NAME

DEFAULT_PROFILE = "shaoyang-2022"

# rule kinds of a part (design.md, "The rubric is data")
RATED = ("ratio", "ceiling", "bands")  # scored from a computed rate (rules.RATE_RULES)
QUANTITATIVE = RATED + ("yesno", "category")
DEDUCTIVE = ("deduct", "all_or_nothing", "veto", "judgement")
KINDS = QUANTITATIVE + DEDUCTIVE
WHOLE = "—"  # 子项 of a finding that applies to the whole indicator

ADJUST_DENOMINATORS = ("全年预算减剔除", "年初预算")


class ProfileError(ValueError):
    """A profile file is missing, malformed or inconsistent."""


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
    """"每超出 step 扣 deduct 分": the penalty above 100%."""

    step: Decimal
    deduct: Decimal


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
    bands: tuple[Band, ...] = ()
    map: dict[str, Decimal] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    both_zero: str = ""  # "full" | "zero": score when numerator and denominator are 0
    zero_base: str = ""  # "full" | "zero": score when only the denominator is 0

    @property
    def quantitative(self) -> bool:
        return self.kind in QUANTITATIVE


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
        return next((p for p in self.parts if p.id == part_id), None)

    def deductible(self, subitem: str) -> bool:
        """A 扣分记录 row may name this sub-item (or "—", the whole indicator)."""
        part = self.part(subitem)
        return subitem == WHOLE or (part is not None and not part.quantitative)

    @property
    def deductible_ids(self) -> str:
        """The sub-items a deduction may name, for messages: "①、②" or "无"."""
        return "、".join(p.id for p in self.finding_parts) or "无"


@dataclass(frozen=True)
class Options:
    sangong_zero_change_points: Decimal = Decimal(1)
    adjust_denominator: str = "全年预算减剔除"
    yishang_inclusive: bool = True
    rate_places: int = 4
    score_places: int = 2
    over_step: str = "floor"
    grade_step_down: bool = True


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
        if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
            no = int(key)
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


# ---------------------------------------------------------------- parsing

def _dec(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ProfileError(f"{where}: 应为数字，实际为 {value!r}")
    return Decimal(str(value))


def _check_keys(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ProfileError(f"{where}: 未知的键 {', '.join(unknown)}（允许：{', '.join(sorted(allowed))}）")


def _incl(value: object, options: Options, where: str) -> bool:
    # "以上"/"以下"/"以内" are resolved by the profile's legal reading, not hard-coded.
    if isinstance(value, bool):
        return value
    if value in ("以上", "以下", "以内"):
        return options.yishang_inclusive
    raise ProfileError(f"{where}: 边界应为 true/false 或 以上/以下，实际为 {value!r}")


def _band(raw: dict, options: Options, where: str) -> Band:
    _check_keys(raw, {"min", "max", "min_incl", "max_incl", "points", "points_option", "label"}, where)
    if "points_option" in raw:
        opt = raw["points_option"]
        if not hasattr(options, opt):
            raise ProfileError(f"{where}: points_option 引用了不存在的选项 {opt}")
        points = Decimal(str(getattr(options, opt)))
        # the label cannot state the points: they come from the option
        raw = {**raw, "label": f"{raw.get('label', '')}，计{points.normalize():f}分（按评分档案约定）"}
    else:
        points = _dec(raw.get("points"), where + ".points")
    return Band(
        points=points,
        label=str(raw.get("label", "")),
        min=_dec(raw["min"], where + ".min") if "min" in raw else None,
        max=_dec(raw["max"], where + ".max") if "max" in raw else None,
        min_incl=_incl(raw.get("min_incl", True), options, where + ".min_incl"),
        max_incl=_incl(raw.get("max_incl", True), options, where + ".max_incl"),
    )


_PART_KEYS = {"id", "kind", "label", "points", "rate", "input", "per_case", "steps", "over",
              "bands", "map", "synonyms", "both_zero", "zero_base"}


def _part(raw: dict, options: Options, where: str) -> Part:
    from udfs.rate_specs import RATES  # rate ids are code; profiles only name them

    _check_keys(raw, _PART_KEYS, where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ProfileError(f"{where}: 未知的规则类型 {kind!r}（允许：{', '.join(KINDS)}）")
    rate = raw.get("rate", "")
    if kind in ("ratio", "ceiling", "bands") and rate not in RATES:
        raise ProfileError(f"{where}: 未知的比率 {rate!r}（允许：{', '.join(RATES)}）")
    inp = raw.get("input", "")
    if kind in ("yesno", "category") and inp not in BY_NAME:
        raise ProfileError(f"{where}: 未知的输入名称 {inp!r}")
    over = raw.get("over")
    if over is not None:
        _check_keys(over, {"step", "deduct"}, where + ".over")
        over = Over(_dec(over["step"], where + ".over.step"), _dec(over["deduct"], where + ".over.deduct"))
    for key in ("both_zero", "zero_base"):
        if raw.get(key, "") not in ("", "full", "zero"):
            raise ProfileError(f"{where}.{key}: 应为 full 或 zero")
    bands = tuple(_band(b, options, f"{where}.bands[{n}]") for n, b in enumerate(raw.get("bands", ())))
    if kind == "bands" and not bands:
        raise ProfileError(f"{where}: bands 规则需要至少一个区间")
    return Part(
        id=str(raw.get("id", "")),
        kind=kind,
        label=str(raw.get("label", "")),
        points=_dec(raw["points"], where + ".points") if "points" in raw else None,
        rate=rate,
        input=inp,
        per_case=_dec(raw["per_case"], where + ".per_case") if "per_case" in raw else None,
        steps=tuple(_dec(s, where + ".steps") for s in raw.get("steps", ())),
        over=over,
        bands=bands,
        map={str(k): _dec(v, f"{where}.map.{k}") for k, v in raw.get("map", {}).items()},
        synonyms={str(k): str(v) for k, v in raw.get("synonyms", {}).items()},
        both_zero=raw.get("both_zero", ""),
        zero_base=raw.get("zero_base", ""),
    )


_IND_KEYS = {"no", "level1", "level2", "name", "weight", "parts", "explain", "standard",
             "evidence", "aliases", "shared_cap", "zero_if"}


def _indicator(raw: dict, options: Options, where: str) -> Indicator:
    from udfs.rate_specs import RATES

    _check_keys(raw, _IND_KEYS, where)
    for key in ("no", "level1", "level2", "name", "weight", "parts"):
        if key not in raw:
            raise ProfileError(f"{where}: 缺少键 {key}")
    where = f"{where}（{raw['name']}）"
    parts = tuple(_part(p, options, f"{where}.parts[{n}]") for n, p in enumerate(raw["parts"]))
    weight = _dec(raw["weight"], where + ".weight")
    shared = bool(raw.get("shared_cap", False))
    ids = [p.id for p in parts]
    if len(set(ids)) != len(ids) or WHOLE in ids:
        raise ProfileError(f"{where}: 子项编号重复或使用了保留的“{WHOLE}”")
    if not shared:
        missing = [p.id for p in parts if p.points is None]
        if missing:
            raise ProfileError(f"{where}: 子项 {','.join(missing)} 缺少 points")
        total = sum((p.points for p in parts), Decimal(0))
        if total != weight:
            raise ProfileError(f"{where}: 子项分值合计 {total} 不等于指标分值 {weight}")
    conditions = []
    for n, c in enumerate(raw.get("zero_if", ())):
        _check_keys(c, {"rate", "above", "label"}, f"{where}.zero_if[{n}]")
        if c.get("rate") not in RATES:
            raise ProfileError(f"{where}.zero_if[{n}]: 未知的比率 {c.get('rate')!r}")
        conditions.append(Condition(c["rate"], _dec(c["above"], where + ".above"), str(c.get("label", ""))))
    return Indicator(
        no=int(raw["no"]), level1=str(raw["level1"]), level2=str(raw["level2"]),
        name=str(raw["name"]), weight=weight, parts=parts,
        explain=str(raw.get("explain", "")), standard=str(raw.get("standard", "")),
        evidence=str(raw.get("evidence", "")), aliases=tuple(raw.get("aliases", ())),
        shared_cap=shared, zero_if=tuple(conditions),
    )


def _options(raw: dict) -> Options:
    allowed = set(Options.__dataclass_fields__)
    _check_keys(raw, allowed, "[options]")
    opts = Options(**{k: (Decimal(str(v)) if k == "sangong_zero_change_points" else v) for k, v in raw.items()})
    if opts.adjust_denominator not in ADJUST_DENOMINATORS:
        raise ProfileError(f"[options].adjust_denominator: 应为 {' 或 '.join(ADJUST_DENOMINATORS)}")
    if opts.over_step not in ("floor", "ceil"):
        raise ProfileError("[options].over_step: 应为 floor 或 ceil")
    return opts


def parse_profile(data: dict, origin: str = "<profile>") -> Profile:
    _check_keys(data, {"profile", "options", "grade", "indicator", "advice"}, origin)
    head = data.get("profile", {})
    _check_keys(head, {"name", "title", "source", "extends"}, origin + " [profile]")
    options = _options(data.get("options", {}))
    grades = []
    for n, g in enumerate(data.get("grade", ())):
        _check_keys(g, {"min", "grade"}, f"{origin} [[grade]][{n}]")
        grades.append((_dec(g["min"], "grade.min"), str(g["grade"])))
    grades.sort(key=lambda item: item[0], reverse=True)
    if not grades or grades[-1][0] != 0:
        raise ProfileError(f"{origin}: 等级表必须包含 min = 0 的最低等级")
    indicators = tuple(_indicator(raw, options, f"{origin} 指标[{n}]")
                       for n, raw in enumerate(data.get("indicator", ())))
    numbers = [i.no for i in indicators]
    if numbers != list(range(1, len(indicators) + 1)):
        raise ProfileError(f"{origin}: 指标序号应为 1..{len(indicators)} 连续编号")
    groups = {i.level2 for i in indicators}
    advice = data.get("advice", {})
    _check_keys(advice, groups, origin + " [advice]")
    return Profile(name=str(head.get("name", "")), title=str(head.get("title", "")),
                   source=str(head.get("source", "")), options=options,
                   grades=tuple(grades), indicators=indicators,
                   advice=tuple((k, str(v)) for k, v in advice.items()))


def available_profiles() -> list[str]:
    folder = resources.files("udfs") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=16)
def load_profile(name: str | None = None) -> Profile:
    """A shipped profile by name (default: the reference rubric)."""
    name = (name or DEFAULT_PROFILE).strip()
    return parse_profile(_read_data(name), f"{name}.toml")


def _read_data(name: str, seen: tuple[str, ...] = ()) -> dict:
    """The raw table of a profile; ``extends`` takes the base and overrides [profile] and
    [options] (a variant repeats none of the rubric's 28 indicators)."""
    if name in seen:
        raise ProfileError(f"评分档案继承关系循环：{' → '.join((*seen, name))}")
    known = available_profiles()
    if name not in known:
        via = f"（由 {seen[-1]} 的 extends 引用）" if seen else ""
        raise ProfileError(f"未找到评分档案“{name}”{via}（可用：{'、'.join(known)}）")
    path = resources.files("udfs") / "profiles" / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分档案 {name}.toml 格式错误：{exc}") from exc
    base_name = data.get("profile", {}).get("extends")
    if not base_name:
        return data
    base = _read_data(base_name, (*seen, name))
    merged = dict(base)
    merged["profile"] = {**base.get("profile", {}), **data.get("profile", {})}
    merged["options"] = {**base.get("options", {}), **data.get("options", {})}
    merged["advice"] = {**base.get("advice", {}), **data.get("advice", {})}
    for key in ("grade", "indicator"):
        if key in data:
            merged[key] = data[key]
    return merged
