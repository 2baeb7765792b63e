"""``bands``: the points of the band the rate falls in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from udfs.errors import ProfileError
from udfs.money import fmt_pct
from udfs.rates import RATES, ChangeRateSpec
from udfs.rules import fields as F
from udfs.rules.base import Band
from udfs.rules.formula import num, text
from udfs.rules.rated import RatedParams, RatedRule

MAX_BANDS = 20  # a band rule compiles to nested IFs: Excel allows 64 levels, a rubric has a handful


@dataclass(frozen=True, kw_only=True)
class BandsParams(RatedParams):
    bands: tuple[Band, ...] = ()


def _lowest(band: Band) -> Decimal:
    return Decimal("-Infinity") if band.min is None else band.min


def _shown(band: Band) -> str:
    """A band as the rubric workbook writes it: [5%,10%]."""
    low = "" if band.min is None else F.pct_text(band.min)
    high = "" if band.max is None else F.pct_text(band.max)
    return f"{'[' if band.min_incl and band.min is not None else '('}{low},{high}{']' if band.max_incl and band.max is not None else ')'}"


def _incl(value: object, options, where: str) -> bool:
    # "以上"/"以下"/"以内" are resolved by the profile's legal reading, not hard-coded.
    if isinstance(value, bool):
        return value
    if value in ("以上", "以下", "以内"):
        return options.yishang_inclusive
    raise ProfileError(f"{where}: 边界应为 true/false 或 以上/以下，实际为 {value!r}")


def _band(raw: dict, options, where: str) -> Band:
    F.check_keys(raw, {"min", "max", "min_incl", "max_incl", "points", "points_option", "label"}, where)
    if "points_option" in raw:
        opt = raw["points_option"]
        if not hasattr(options, opt):
            raise ProfileError(f"{where}: points_option 引用了不存在的选项 {opt}")
        points = Decimal(str(getattr(options, opt)))
        # the label cannot state the points: they come from the option
        raw = {**raw, "label": f"{raw.get('label', '')}，计{points.normalize():f}分"}
    else:
        points = F.decimal(raw.get("points"), where + ".points")
    return Band(
        points=points,
        label=str(raw.get("label", "")),
        min=F.decimal(raw["min"], where + ".min") if "min" in raw else None,
        max=F.decimal(raw["max"], where + ".max") if "max" in raw else None,
        min_incl=_incl(raw.get("min_incl", True), options, where + ".min_incl"),
        max_incl=_incl(raw.get("max_incl", True), options, where + ".max_incl"),
    )


def check_bands(bands: tuple[Band, ...], where: str) -> None:
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
            raise ProfileError(f"{where}: 区间“{_shown(before)}”与“{_shown(after)}”之间有空档（{F.pct_text(before.max)}不在任何一档）",
                               key="bands")
        if before.max > after.min or before.max_incl and after.min_incl:
            raise ProfileError(f"{where}: 区间“{_shown(before)}”与“{_shown(after)}”重叠（{F.pct_text(after.min)}在两档中）", key="bands")
    if ordered and ordered[-1].max is not None:
        raise ProfileError(f"{where}: 最高一档“{_shown(ordered[-1])}”应不设上限（高于 {F.pct_text(ordered[-1].max)} 的比率无处计分）",
                           key="bands")
    if ordered and ordered[0].min is not None and (ordered[0].min > 0 or not ordered[0].min_incl):
        raise ProfileError(f"{where}: 最低一档“{_shown(ordered[0])}”应从0（含）或不设下限开始", key="bands")


# "[95%,]=2：95%以上计2分" — [ ] include the bound, ( ) exclude it, an empty bound is open
_BAND = re.compile(r"^\s*([\[(（【])\s*([^,，]*?)\s*[,，]\s*([^\])）】]*?)\s*([\])）】])\s*[=＝]\s*([-\d.]+)\s*(?:[:：]\s*(.*))?$")


def band_text(band: dict) -> str:
    low = F.pct_text(Decimal(str(band["min"]))) if "min" in band else ""
    high = F.pct_text(Decimal(str(band["max"]))) if "max" in band else ""
    left = "[" if band.get("min_incl", True) else "("
    right = "]" if band.get("max_incl", True) else ")"
    label = f"：{band['label']}" if band.get("label") else ""
    return f"{left}{low},{high}{right}={F.plain(band['points'])}{label}"


def parse_band(line: str) -> dict:
    m = _BAND.match(line)
    if m is None:
        raise ValueError(f"“{line}”不是分档的写法，应如 [95%,]=2：95%以上计2分 或 (10%,20%]=1")
    left, low, high, right, points, label = m.groups()
    out: dict = {"points": F.cell_number(points), "label": (label or "").strip()}
    if low:
        out["min"], out["min_incl"] = F.cell_number(low), left in "[【"
    if high:
        out["max"], out["max_incl"] = F.cell_number(high), right in "]】"
    return out


@dataclass(frozen=True)
class BandsField(F.Field):
    def read(self, value, options, where, kind):
        bands = tuple(_band(b, options, f"{where}.bands[{n}]") for n, b in enumerate(value))
        if bands:
            check_bands(bands, where + ".bands")
        return bands

    def data(self, value):
        out = []
        for band in value:
            row: dict = {"points": F.toml_number(band.points), "label": band.label}
            if band.min is not None:
                row["min"], row["min_incl"] = F.toml_number(band.min), band.min_incl
            if band.max is not None:
                row["max"], row["max_incl"] = F.toml_number(band.max), band.max_incl
            out.append(row)
        return out or None

    def to_cells(self, data):
        return {"bands": "\n".join(band_text(b) for b in data or ()) or None}

    def from_cells(self, cells):
        bands = []
        for line in cells.lines("bands"):
            try:
                bands.append(parse_band(line))
            except ValueError as exc:
                cells.bad("bands", str(exc))
        return bands or None


class Bands(RatedRule):
    """The points of the one band the rate (rounded to 0.01%) falls in. Bands are closed or
    open at each end as the rubric's words say ("以上/以下/以内" include the number, by the
    profile's option); together they cover every rate exactly once (the loader checks it).

    附件1 预算执行率 ①: "95%以上计2分，95-90%（含）计1分，90-80%（含）计0.5分，小于80%不得分". Example:
    94.99% scores 1; 95.00% scores 2; 79.99% scores 0.
    """

    kind = "bands"
    title = "分档计分"
    params = BandsParams
    fields = (*F.RATED, BandsField("bands", "分档", ("bands",)))
    _EXEC = {"rate": "exec", "points": 2, "bands": [
        {"min": 0.95, "points": 2, "label": "95%以上计2分"},
        {"min": 0.9, "max": 0.95, "max_incl": False, "points": 1, "label": "95-90%（含）计1分"},
        {"min": 0.8, "max": 0.9, "max_incl": False, "points": 0.5, "label": "90-80%（含）计0.5分"},
        {"max": 0.8, "max_incl": False, "points": 0, "label": "小于80%不得分"}]}
    examples = ((_EXEC, "0.9499", "1"), (_EXEC, "0.95", "2"), (_EXEC, "0.7999", "0"), (_EXEC, "0.8", "0.5"))

    def check(self, params, where):
        if not params.bands:
            raise ProfileError(f"{where}: bands 规则需要至少一个区间")
        if isinstance(RATES[params.rate], ChangeRateSpec) and min(params.bands, key=_lowest).min is not None:
            raise ProfileError(f"{where}.bands: 变动率可以为负数，最低一档应不设下限", key="bands")

    def score(self, part, value, options):
        for band in part.params.bands:
            if band.contains(value):
                return band.points, band.label
        raise ProfileError(f"{part.label}：{fmt_pct(value)} 不在评分标准的任何区间内")

    def formula(self, part, x, options):
        return self._chosen(part, x, lambda band: num(band.points))

    def words_formula(self, part, x, options):
        return self._chosen(part, x, lambda band: text(band.label))

    @staticmethod
    def _chosen(part, x, said) -> str:
        """What ``said`` gives for the band ``x`` falls in."""
        out = "NA()"  # a rate in no band: the engine stops there too
        for band in reversed(part.params.bands):
            tests = []
            if band.min is not None:
                tests.append(f"{x}{'>=' if band.min_incl else '>'}{num(band.min)}")
            if band.max is not None:
                tests.append(f"{x}{'<=' if band.max_incl else '<'}{num(band.max)}")
            test = "TRUE" if not tests else tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"
            out = f"IF({test},{said(band)},{out})"
        return out

    def edges(self, part):
        out = [Decimal("-0.5"), Decimal(0), Decimal(1), Decimal(5)]
        for band in part.params.bands:
            for bound in (band.min, band.max):
                if bound is not None:
                    out += [bound - Decimal("0.0001"), bound, bound + Decimal("0.0001")]
        return tuple(out)


RULE = Bands()
