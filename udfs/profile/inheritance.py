"""Where a profile's table comes from: the files shipped in ``udfs/profiles``, and
``extends``, by which a variant names its base and states only what differs.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from udfs.errors import ProfileError


def available_profiles() -> list[str]:
    """Names of the profiles shipped in the package."""
    folder = resources.files("udfs") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def read_data(name: str, seen: tuple[str, ...] = ()) -> dict:
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
    base = read_data(base_name, (*seen, name))
    merged = dict(base)
    merged["profile"] = {**base.get("profile", {}), **data.get("profile", {})}
    merged["options"] = {**base.get("options", {}), **data.get("options", {})}
    merged["advice"] = {**base.get("advice", {}), **data.get("advice", {})}
    for key in ("grade", "indicator"):
        if key in data:
            merged[key] = data[key]
    return merged
