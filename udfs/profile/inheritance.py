"""Where a profile's table comes from: the files shipped in ``udfs/profiles``, the user's
own profile folder (rubrics a bureau imported with ``preval profile import``, outside the
package so an upgrade keeps them), and ``extends``, by which a variant names its base and
states only what differs.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from udfs.errors import ProfileError

DEFAULT_FILE = "default.txt"  # in the user folder: the rubric ``preval new`` uses unasked


def user_profile_dir() -> Path:
    """%APPDATA%\\preval\\profiles on Windows, ~/.config/preval/profiles elsewhere;
    PREVAL_PROFILES overrides (a shared network folder of a bureau, the tests)."""
    if os.environ.get("PREVAL_PROFILES"):
        return Path(os.environ["PREVAL_PROFILES"])
    base = os.environ.get("APPDATA") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "preval" / "profiles"


def shipped_profiles() -> list[str]:
    folder = resources.files("udfs") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def user_profiles() -> list[str]:
    folder = user_profile_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml") if not p.name.startswith("."))


def available_profiles() -> list[str]:
    """Names of the profiles shipped in the package and imported by the user."""
    return sorted({*shipped_profiles(), *user_profiles()})


def profile_origin(name: str) -> str:
    """Where ``name`` is read from, in words: 内置 or the user's file."""
    if name in shipped_profiles():
        return "内置"
    return str(user_profile_dir() / f"{name}.toml")


def user_default() -> str | None:
    """The rubric the user chose as default (``preval profile import --default``), if any."""
    path = user_profile_dir() / DEFAULT_FILE
    try:
        name = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name in available_profiles() else None


def profile_text(name: str) -> str:
    """The TOML text of a profile: shipped first (an imported file never shadows one)."""
    if name in shipped_profiles():
        return (resources.files("udfs") / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
    return (user_profile_dir() / f"{name}.toml").read_text(encoding="utf-8")


def read_data(name: str, seen: tuple[str, ...] = ()) -> dict:
    """The raw table of a profile; ``extends`` takes the base and overrides [profile] and
    [options] (a variant repeats none of the rubric's 28 indicators)."""
    if name in seen:
        raise ProfileError(f"评分档案继承关系循环：{' → '.join((*seen, name))}")
    known = available_profiles()
    if name not in known:
        via = f"（由 {seen[-1]} 的 extends 引用）" if seen else ""
        raise ProfileError(f"未找到评分档案“{name}”{via}（可用：{'、'.join(known)}）")
    try:
        data = tomllib.loads(profile_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分档案 {name}.toml 格式错误：{exc}") from exc
    base_name = data.get("profile", {}).get("extends")
    if not base_name:
        if "override" in data:
            raise ProfileError(f"评分档案 {name}：[[override]] 只用于继承（extends）另一评分档案时")
        return data
    base = read_data(base_name, (*seen, name))
    merged = dict(base)
    merged["profile"] = {**base.get("profile", {}), **data.get("profile", {})}
    merged["options"] = {**base.get("options", {}), **data.get("options", {})}
    merged["advice"] = {**base.get("advice", {}), **data.get("advice", {})}
    for key in ("grade", "indicator"):
        if key in data:
            merged[key] = data[key]
    merged.pop("override", None)
    if "override" in data:
        merged["indicator"] = override(merged.get("indicator", []), data["override"], name)
    return merged


def override(indicators: list[dict], changes: list[dict], origin: str) -> list[dict]:
    """"邵阳 2022 except …": each [[override]] names a base indicator by ``name`` (or ``no``)
    and replaces the keys it states (its parts, weight, standard …); the rest is the base's."""
    out = [dict(i) for i in indicators]
    for n, change in enumerate(changes):
        key = "name" if "name" in change else "no" if "no" in change else None
        if key is None:
            raise ProfileError(f"{origin} [[override]][{n}]: 请用 name（三级指标名称）或 no（序号）指明要修改的指标")
        target = next((i for i in out if i.get(key) == change[key]), None)
        if target is None:
            raise ProfileError(f"{origin} [[override]][{n}]: 基础评分档案中没有指标“{change[key]}”")
        target.update({k: v for k, v in change.items() if k != key or key == "name"})
    return out
