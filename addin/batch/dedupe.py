"""One row per unit and year: a folder often holds a department's workbook beside its
_评分 and _定稿 copies, or the same unit sent twice. A 定稿 counts over a working copy (the
evaluator froze it; a later edited copy must not replace it), then the newest; the others are
listed, never silently dropped, and copies whose totals differ are a 冲突 the bureau decides
(shown on the 汇总 sheet itself). Units are ranked against units of the same year under the
same rubric only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from addin.batch.run import Outcome

_SPACE = re.compile(r"\s+")


def unit_key(outcome: Outcome) -> tuple[str, object]:
    """单位名称 without any white space (a full-width space typed in one copy) and 年度."""
    row = outcome.row or {}
    return _SPACE.sub("", str(row.get("单位名称") or "")), row.get("年度")


@dataclass(frozen=True)
class Duplicate:
    outcome: Outcome
    kept: Outcome

    @property
    def reason(self) -> str:
        kept = self.kept
        newer = ("为验证通过的签名定稿" if kept.signed and not self.outcome.signed
                 else "为定稿" if kept.final and not self.outcome.final
                 else "修改时间较新" if kept.mtime > self.outcome.mtime else "文件名在前")
        mine, theirs = (self.outcome.row or {}).get("总分"), (kept.row or {}).get("总分")
        same = "总分相同" if mine == theirs else f"总分不同（本文件 {mine:.2f}，保留文件 {theirs:.2f}）"
        return f"与 {kept.file} 为同一单位同一年度，保留{newer}的 {kept.file}；{same}"


    @property
    def conflict(self) -> bool:
        """The copies' totals differ: which one counts is the bureau's decision, not ours."""
        return (self.outcome.row or {}).get("总分") != (self.kept.row or {}).get("总分")


def _preferred(outcome: Outcome) -> tuple:
    return not outcome.signed, not outcome.final, -outcome.mtime, outcome.file


def deduplicate(outcomes: list[Outcome]) -> tuple[list[Outcome], list[Duplicate]]:
    """The scored outcomes, one per unit and year (a 定稿, then the newest, then the first by
    name), in their original order; and the others with the one kept."""
    by_key: dict[tuple, list[Outcome]] = {}
    for o in outcomes:
        if o.row is not None:
            by_key.setdefault(unit_key(o), []).append(o)
    kept_ids, duplicates = set(), []
    for same in by_key.values():
        first, *rest = sorted(same, key=_preferred)
        kept_ids.add(id(first))
        duplicates += [Duplicate(o, first) for o in rest]
    position = {id(o): n for n, o in enumerate(outcomes)}
    duplicates.sort(key=lambda d: position[id(d.outcome)])
    return [o for o in outcomes if id(o) in kept_ids], duplicates


def groups(kept: list[Outcome]) -> dict[tuple[object, str], list[Outcome]]:
    """Rankings are per 年度 and rubric: a score under another rubric or year is not comparable.
    Years newest first; within a year the rubric most units use first, then by name."""
    out: dict[tuple[object, str], list[Outcome]] = {}
    for o in kept:
        out.setdefault((o.row.get("年度"), o.profile), []).append(o)  # type: ignore[union-attr]
    def order(item):
        (year, profile), members = item
        return -year if isinstance(year, int) else 0, -len(members), profile

    return dict(sorted(out.items(), key=order))


def identity_conflicts(outcomes: list[Outcome]) -> list[str]:
    """What 单位编码 (where the files have it) says against 单位名称, one sentence each: one
    code under two names (a file sent under another unit's name), or one name with two codes
    (two units of one name, or a code mistyped). The bureau decides; nothing is resolved here."""
    scored = [o for o in outcomes if o.row is not None and o.code]
    code = lambda o: o.code  # noqa: E731
    name = lambda o: unit_key(o)[0]  # noqa: E731 - without white space, as copies are matched
    typed = lambda o: (o.row or {}).get("单位名称")  # noqa: E731 - as typed, for the sentence
    out = []
    for label, key, other, other_key, shown in (("单位编码", code, "单位名称", name, typed),
                                                ("单位名称", name, "单位编码", code, code)):
        by: dict[tuple, list[Outcome]] = {}
        for o in scored:
            by.setdefault((key(o), (o.row or {}).get("年度")), []).append(o)
        for (value, year), same in by.items():
            if len({other_key(o) for o in same}) > 1:
                files = "、".join(f"{o.file}（{other} {shown(o)}）" for o in same)
                out.append(f"{label} {value}（{year}年度）对应不同的{other}：{files}，请核实报送单位")
    return out
