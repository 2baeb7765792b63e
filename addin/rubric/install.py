"""``preval profile import``: a checked rubric into the user's profile folder (outside the
package: an upgrade of preval keeps it), as TOML the loader reads like a shipped one."""

from __future__ import annotations

import shutil
from pathlib import Path

import tomli_w

from addin.books.atomic import backup_name, write_atomic
from addin.errors import UsageError
from udfs.profile import Profile, user_profile_dir
from udfs.profile.inheritance import DEFAULT_FILE, shipped_profiles
from udfs.profile.serialize import to_data


def install(profile: Profile, make_default: bool = False) -> tuple[Path, Path | None]:
    """The installed file, and where the rubric it replaced was kept (None: nothing replaced,
    or the same rubric again). Importing a name that exists never loses the old rubric."""
    if profile.name in shipped_profiles():
        raise UsageError(f"档案名称“{profile.name}”与内置评分档案重名，未安装",
                         hint="在“档案”表中换一个名称（如加上城市和年度：yueyang-2024）")
    folder = user_profile_dir()
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# {profile.title}\n# 由 preval profile import 从评分档案工作簿生成；修改请改工作簿后重新导入。\n"
    text = header + tomli_w.dumps(to_data(profile))
    target = folder / f"{profile.name}.toml"
    kept = None
    if target.exists() and target.read_text(encoding="utf-8") != text:
        kept = backup_name(target)
        shutil.copy2(target, kept)
    path = write_atomic(target, lambda p: Path(p).write_text(text, encoding="utf-8"), backup=False, suffix=".toml")
    if make_default:
        set_default(profile.name)
    return path, kept


def set_default(name: str) -> Path:
    folder = user_profile_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEFAULT_FILE
    path.write_text(name + "\n", encoding="utf-8")
    return path
