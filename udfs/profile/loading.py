"""Load a rubric profile (TOML) into the model of ``udfs.profile.model``, checking every key.

An unknown key or kind is an error that names the key, so a typo in a profile cannot
silently change a score. Where the table comes from (the shipped files, ``extends``) is
``udfs.profile.inheritance``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from udfs.contract import BY_NAME, MONEY
from udfs.errors import ProfileError
from udfs.profile.inheritance import read_data, shipped_profiles, user_profile_dir
from udfs.profile.model import (
    ADJUST_DENOMINATORS,
    CRITERIA_CHARACTERS,
    DEFAULT_PROFILE,
    KINDS,
    MAX_BANDS,
    QUANTITATIVE,
    RATED,
    SUBITEM_IDS,
    TOTAL_POINTS,
    WHOLE,
    Band,
    Condition,
    Indicator,
    Options,
    Over,
    Part,
    Profile,
)
from udfs.rates import RATES, ChangeRateSpec  # rate ids are code; profiles only name them


def _lowest(band: Band) -> Decimal:
    return Decimal("-Infinity") if band.min is None else band.min


def _dec(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ProfileError(f"{where}: 应为数字，实际为 {value!r}")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ProfileError(f"{where}: 应为数字，实际为 {value!r}") from None
    if not number.is_finite() or number.copy_abs() > 10**6:  # NaN and ∞ compare with nothing
        raise ProfileError(f"{where}: 应为有限的数字，实际为 {value}",
                           key="bands" if ".bands" in where else where.rsplit(".", 1)[-1])
    return number


def _not_negative(value: Decimal | None, where: str) -> None:
    if value is not None and value < 0:
        raise ProfileError(f"{where}: 不能为负数，实际为 {value}")


def _pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _shown(band: Band) -> str:
    """A band as the rubric workbook writes it: [5%,10%]."""
    low = "" if band.min is None else _pct(band.min)
    high = "" if band.max is None else _pct(band.max)
    return f"{'[' if band.min_incl and band.min is not None else '('}{low},{high}{']' if band.max_incl and band.max is not None else ')'}"


def _check_bands(bands: tuple[Band, ...], where: str) -> None:
    """Every rate falls in exactly one band: sorted by their lower bound, each band starts
    where the one before it ends (the bound in exactly one of them), the last has no upper
    bound. A gap (5% in neither band) would stop the scoring of a department's workbook."""
    if len(bands) > MAX_BANDS:
        raise ProfileError(f"{where}: 分档过多（{len(bands)} 档，最多 {MAX_BANDS} 档）", key="bands")
    ordered = sorted(bands, key=lambda b: (_lowest(b), not b.min_incl))
    for band in ordered:
        if band.min is not None and band.max is not None and (
                band.min > band.max or band.min == band.max and not (band.min_incl and band.max_incl)):
            raise ProfileError(f"{where}: 区间“{_shown(band)}”的下限大于上限或为空", key="bands")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.max is None or after.min is None:
            raise ProfileError(f"{where}: 区间“{_shown(before)}”与“{_shown(after)}”重叠", key="bands")
        if before.max < after.min or before.max == after.min and not (before.max_incl or after.min_incl):
            raise ProfileError(f"{where}: 区间“{_shown(before)}”与“{_shown(after)}”之间有空档（{_pct(before.max)}不在任何一档）",
                               key="bands")
        if before.max > after.min or before.max_incl and after.min_incl:
            raise ProfileError(f"{where}: 区间“{_shown(before)}”与“{_shown(after)}”重叠（{_pct(after.min)}在两档中）", key="bands")
    if ordered and ordered[-1].max is not None:
        raise ProfileError(f"{where}: 最高一档“{_shown(ordered[-1])}”应不设上限（高于 {_pct(ordered[-1].max)} 的比率无处计分）",
                           key="bands")
    if ordered and ordered[0].min is not None and (ordered[0].min > 0 or not ordered[0].min_incl):
        raise ProfileError(f"{where}: 最低一档“{_shown(ordered[0])}”应从0（含）或不设下限开始", key="bands")


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
        raw = {**raw, "label": f"{raw.get('label', '')}，计{points.normalize():f}分"}
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


_PART_KEYS = {"id", "kind", "label", "points", "rate", "input", "per_case", "steps", "over", "under",
              "full_at", "bands", "map", "synonyms", "both_zero", "zero_base", "choice"}


def _penalty(raw: object, kind: str, where: str) -> Over | None:
    """``over``/``under`` = { step, deduct[, from] }; ``from`` (the threshold) only where the
    rule kind lets the rubric name it."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: 应为 {{ step = …, deduct = … }}")
    _check_keys(raw, {"step", "deduct", "from"} if kind == "steps" else {"step", "deduct"}, where)
    for key in ("step", "deduct"):
        if key not in raw:
            raise ProfileError(f"{where}: 缺少 {key}")
    over = Over(_dec(raw["step"], where + ".step"), _dec(raw["deduct"], where + ".deduct"))
    if over.step <= 0 or over.deduct < 0:
        raise ProfileError(f"{where}: step 应大于0，deduct 不能为负数")
    if "from" in raw:
        over = Over(over.step, over.deduct, _dec(raw["from"], where + ".from"))
    return over


def _part(raw: dict, options: Options, where: str) -> Part:
    _check_keys(raw, _PART_KEYS, where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ProfileError(f"{where}: 未知的规则类型 {kind!r}（允许：{', '.join(KINDS)}）")
    rate = raw.get("rate", "")
    if kind in RATED and rate not in RATES:
        raise ProfileError(f"{where}: 未知的比率 {rate!r}（允许：{', '.join(RATES)}）")
    inp = raw.get("input", "")
    if kind in ("yesno", "category") and inp not in BY_NAME:
        raise ProfileError(f"{where}: 未知的输入名称 {inp!r}")
    over = _penalty(raw.get("over"), kind, where + ".over")
    under = _penalty(raw.get("under"), kind, where + ".under") if kind == "steps" else None
    if "under" in raw and kind != "steps":
        raise ProfileError(f"{where}: under（低于目标每档扣分）只用于 steps 规则")
    if kind == "steps" and over is None and under is None:
        raise ProfileError(f"{where}: steps 规则需要 over 或 under（超出或低于多少扣多少分）")
    if over is not None and under is not None and under.start > over.start:
        raise ProfileError(f"{where}: under.from 不能大于 over.from")
    if "full_at" in raw and kind != "ratio":
        raise ProfileError(f"{where}: full_at（达到即得满分）只用于 ratio 规则")
    if raw.get("zero_base", "") not in ("", "full", "zero"):
        raise ProfileError(f"{where}.zero_base: 应为 full 或 zero")
    if raw.get("both_zero", "") not in ("", "full", "zero", "as_zero"):
        raise ProfileError(f"{where}.both_zero: 应为 full、zero 或 as_zero（按比率为0计分）")
    if kind in QUANTITATIVE and "points" not in raw:
        raise ProfileError(f"{where}: {kind} 规则需要 points（分值）")
    if kind == "ceiling" and over is None:
        raise ProfileError(f"{where}: ceiling 规则需要 over（每超出多少扣多少分）")
    bands = tuple(_band(b, options, f"{where}.bands[{n}]") for n, b in enumerate(raw.get("bands", ())))
    if kind == "bands" and not bands:
        raise ProfileError(f"{where}: bands 规则需要至少一个区间")
    if bands:
        _check_bands(bands, where + ".bands")
        if isinstance(RATES[rate], ChangeRateSpec) and min(bands, key=_lowest).min is not None:
            raise ProfileError(f"{where}.bands: 变动率可以为负数，最低一档应不设下限", key="bands")
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
        under=under,
        full_at=_dec(raw["full_at"], where + ".full_at") if "full_at" in raw else None,
        bands=bands,
        map={str(k): _dec(v, f"{where}.map.{k}") for k, v in raw.get("map", {}).items()},
        synonyms={str(k): str(v) for k, v in raw.get("synonyms", {}).items()},
        both_zero=raw.get("both_zero", ""),
        zero_base=raw.get("zero_base", ""),
        choice=str(raw.get("choice", "")),
    )


_IND_KEYS = {"no", "level1", "level2", "name", "weight", "parts", "explain", "standard",
             "evidence", "aliases", "shared_cap", "zero_if"}


def _indicator(raw: dict, options: Options, where: str) -> Indicator:
    _check_keys(raw, _IND_KEYS, where)
    for key in ("no", "level1", "level2", "name", "weight", "parts"):
        if key not in raw:
            raise ProfileError(f"{where}: 缺少键 {key}")
    where = f"{where}（{raw['name']}）"
    read: list[Part] = []
    for n, p in enumerate(raw["parts"]):
        try:
            read.append(_part(p, options, f"{where}.parts[{n}]"))
        except ProfileError as exc:
            exc.part = n if exc.part is None else exc.part
            raise
    parts = tuple(read)
    weight = _dec(raw["weight"], where + ".weight")
    shared = bool(raw.get("shared_cap", False))
    ids = [p.id for p in parts]
    if len(set(ids)) != len(ids) or WHOLE in ids:
        raise ProfileError(f"{where}: 子项编号重复或使用了保留的“{WHOLE}”")
    odd = [i for i in ids if len(i) != 1 or i not in SUBITEM_IDS]
    if odd:
        raise ProfileError(f"{where}: 子项编号“{odd[0]}”应为 {SUBITEM_IDS[0]}…{SUBITEM_IDS[-1]} 中的一个（如附件1的写法）",
                           key="id", part=ids.index(odd[0]))
    for n, part in enumerate(parts):
        if not part.choice:
            continue
        if part.quantitative or part.choice[0] not in SUBITEM_IDS or len(part.choice) > 8 \
                or any(ch in part.choice for ch in CRITERIA_CHARACTERS + " "):
            raise ProfileError(f"{where}: 子项“{part.id}”的扣分记录写法“{part.choice}”应以附件1的编号开头（如 ④外租），"
                               "不超过8个字，不含空格和 * ? ~ < > =，且只用于扣分子项", key="choice", part=n)
    shown = [p.shown for p in parts]
    if len(set(shown)) != len(shown) or any(p.choice in ids for p in parts if p.choice):
        raise ProfileError(f"{where}: 子项的扣分记录写法重复", key="choice")
    name = str(raw["name"])
    if not name.strip() or any(ch in name for ch in CRITERIA_CHARACTERS) or name != name.strip():
        raise ProfileError(f"{where}: 指标名称“{name}”不能为空、首尾不能有空格，也不能含有 {' '.join(CRITERIA_CHARACTERS)}"
                           "（工作簿公式按名称统计扣分时会把它们当作通配符或比较符）", key="name")
    _not_negative(weight, where + ".weight")
    for part in parts:
        _not_negative(part.points, f"{where}.{part.id}.points")
        _not_negative(part.per_case, f"{where}.{part.id}.per_case")
    if not shared:
        missing = [p.id for p in parts if p.points is None]
        if missing:
            raise ProfileError(f"{where}: 子项 {','.join(missing)} 缺少 points")
        total = sum((p.full for p in parts), Decimal(0))
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
    values: dict[str, Any] = {k: (Decimal(str(v)) if k == "sangong_zero_change_points" else v) for k, v in raw.items()}
    if "adjust_parts" in values:
        parts = values["adjust_parts"]
        if not isinstance(parts, list) or not parts or any(BY_NAME.get(p) is None or BY_NAME[p].kind != MONEY
                                                            for p in parts):
            raise ProfileError("[options].adjust_parts: 应为金额输入名称的列表，如 [\"追加预算\", \"追减预算\"]")
        values["adjust_parts"] = tuple(parts)
    opts = Options(**values)
    if opts.adjust_denominator not in ADJUST_DENOMINATORS:
        raise ProfileError(f"[options].adjust_denominator: 应为 {' 或 '.join(ADJUST_DENOMINATORS)}")
    if opts.over_step not in ("floor", "ceil"):
        raise ProfileError("[options].over_step: 应为 floor 或 ceil")
    if opts.score_places != 2:  # PREVAL_TOTAL and the workbook's totals round to 2 decimals
        raise ProfileError("[options].score_places: 只支持 2（得分保留两位小数）")
    if not isinstance(opts.rate_places, int) or not 2 <= opts.rate_places <= 6:
        raise ProfileError("[options].rate_places: 应为 2 到 6 之间的整数（4 即 0.01%）")
    return opts


def parse_profile(data: dict, origin: str = "<profile>") -> Profile:
    _check_keys(data, {"profile", "options", "grade", "indicator", "advice", "override"}, origin)
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
    total = sum((i.weight for i in indicators), Decimal(0))
    if indicators and total != TOTAL_POINTS:
        raise ProfileError(f"{origin}: 指标分值合计为 {total.normalize():f} 分，应为 {TOTAL_POINTS} 分（等级线按百分制）")
    names = [i.name for i in indicators]
    if len(set(names)) != len(names):
        raise ProfileError(f"{origin}: 指标名称重复：{next(n for n in names if names.count(n) > 1)}")
    groups = {i.level2 for i in indicators}
    advice = data.get("advice", {})
    _check_keys(advice, groups, origin + " [advice]")
    return Profile(name=str(head.get("name", "")), title=str(head.get("title", "")),
                   source=str(head.get("source", "")), options=options,
                   grades=tuple(grades), indicators=indicators,
                   advice=tuple((k, str(v)) for k, v in advice.items()))


def load_profile(name: str | None = None) -> Profile:
    """A profile by name, shipped or imported by the user (default: the reference rubric)."""
    name = (name or DEFAULT_PROFILE).strip()
    return _load(name, _stamp(name))


def _stamp(name: str) -> tuple[str, int]:
    """What makes a cached profile stale: an imported file replaced (same name, new rubric)."""
    if name in shipped_profiles():
        return "", 0
    path = user_profile_dir() / f"{name}.toml"
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), -1


@lru_cache(maxsize=32)
def _load(name: str, stamp: tuple[str, int]) -> Profile:
    return parse_profile(read_data(name), f"{name}.toml")
