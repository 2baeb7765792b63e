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
from udfs.errors import ProfileError, term
from udfs.profile.inheritance import read_data, shipped_profiles, user_profile_dir
from udfs.profile.model import (
    ADJUST_DENOMINATORS,
    CRITERIA_CHARACTERS,
    DEFAULT_PROFILE,
    MAX_ITEMS,
    MAX_LIST,
    MAX_TEXT,
    SUBITEM_IDS,
    TOTAL_POINTS,
    WHOLE,
    Condition,
    Indicator,
    Options,
    Part,
    Profile,
)
from udfs.rates import RATES  # rate ids are code; profiles only name them
from udfs.rules import KINDS, REGISTRY
from udfs.rules.fields import check_keys as _check_keys
from udfs.rules.fields import decimal as _dec


def _not_negative(value: Decimal | None, where: str) -> None:
    if value is not None and value < 0:
        raise ProfileError(f"{where}: 不能为负数，实际为 {value}")


_PART_KEYS = ("id", "kind", "label", "points", "choice")  # what every part has; the rest is its kind's


def _part(raw: dict, options: Options, where: str) -> Part:
    kind = raw.get("kind")
    rule = REGISTRY.get(kind) if isinstance(kind, str) else None
    if rule is None:
        _check_keys(raw, set(_PART_KEYS) | {f.key for r in REGISTRY.values() for f in r.fields}, where)
        raise ProfileError(f"{where}: 未知的规则类型 {kind!r}（允许：{', '.join(KINDS)}）")
    own = {f.key: f for f in rule.fields}
    for key in raw:
        others = [r.kind for r in REGISTRY.values() if key not in own and any(f.key == key for f in r.fields)]
        if others:
            what = next(f.what for f in REGISTRY[others[0]].fields if f.key == key)
            raise ProfileError(f"{where}: {term(key)}（{what}）只用于 {'、'.join(term(o) for o in others)} 规则", key=key)
    _check_keys(raw, set(_PART_KEYS) | set(own), where)
    values = {}
    for field in rule.fields:
        if field.key in raw:
            values[field.name] = field.read(raw[field.key], options, where, rule.kind)
        elif field.required:  # what the part is scored from: its own message for a missing one
            values[field.name] = field.read("", options, where, rule.kind)
    params = rule.params(**values)
    if rule.points_required and "points" not in raw:
        raise ProfileError(f"{where}: {term(rule.kind)} 规则需要 {term('points')}（分值）", key="points")
    rule.check(params, where)
    return Part(
        id=str(raw.get("id", "")),
        kind=rule.kind,
        label=str(raw.get("label", "")),
        points=_dec(raw["points"], where + ".points") if "points" in raw else None,
        choice=str(raw.get("choice", "")),
        params=params,
    )


_IND_KEYS = {"no", "level1", "level2", "name", "weight", "parts", "explain", "standard",
             "evidence", "aliases", "shared_cap", "zero_if"}


def _indicator(raw: dict, options: Options, where: str) -> Indicator:
    _check_keys(raw, _IND_KEYS, where)
    for key in ("no", "level1", "level2", "name", "weight", "parts"):
        if key not in raw:
            raise ProfileError(f"{where}: 缺少键 {term(key)}", key=key)
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
    if not shared:
        missing = [p.id for p in parts if p.points is None]
        if missing:
            raise ProfileError(f"{where}: 子项 {','.join(missing)} 缺少 {term('points')}", key="points")
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


def _within_bounds(value: object, where: str, key: str = "") -> None:
    """No list longer and no text longer than a rubric has (model.MAX_*), before anything is
    parsed or compiled: a crafted rubric of 100,000 bands costs minutes and gigabytes."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ProfileError(f"{where}: 文字有 {len(value):,} 个字符，超过 {MAX_TEXT:,} 个（评分档案的文字不会这么长）")
    if isinstance(value, list):
        limit = MAX_ITEMS.get(key, MAX_LIST)
        if len(value) > limit:
            raise ProfileError(f"{where}: 有 {len(value):,} 项，超过 {limit} 项（工作簿公式最多嵌套 64 层，评分档案不会这么大）")
        for n, item in enumerate(value):
            _within_bounds(item, f"{where}[{n}]")
    if isinstance(value, dict):
        for k, item in value.items():
            _within_bounds(k, where)
            _within_bounds(item, f"{where}.{k}" if where else str(k), str(k))


def parse_profile(data: dict, origin: str = "<profile>") -> Profile:
    _within_bounds(data, origin)
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
    _check_keys(advice, groups | set(names), origin + " [advice]")  # a 二级指标 or a 三级指标
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
