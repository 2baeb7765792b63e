"""``preval upgrade``: move a workbook to the current template. A fresh template of the same
rubric, with the old workbook's inputs (by their defined names, the contract every version
kept), its 扣分记录 rows and, from 0.4 on, the self-report columns copied in; the old file
is only read. Nothing else is carried over: the new workbook is unscored (run ``preval
score``), and sheets a user added are named in the message, not copied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from addin.books.openpyxl_book import OpenpyxlBook, save_book
from addin.books.package_book import PackageBook
from addin.books.protocol import ReadBook
from addin.case import read_case
from addin.checks import errors
from addin.checks.final import final_stamp
from addin.checks.structure import check_names, check_sheets
from addin.errors import BadFile
from addin.scoring import beside, named_profile, refuse_macro_workbook, template_version
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.build import build_workbook
from udfs.profile import Profile


@dataclass
class Upgrade:
    old_version: str
    out: Path | None = None  # None: already the current version, nothing written
    profile: str = ""
    left_out: list[str] = field(default_factory=list)  # sheets of the user's own, not copied
    from_final: bool = False


def _self_report_columns(old: ReadBook, new: OpenpyxlBook, profile: Profile, version: str) -> None:
    # the columns moved right in 0.7 (评分表 gained 指标说明): read them where the old version had them
    was, now = L.Layout(profile, version), L.Layout(profile)
    first, last = L.row_of(1), L.row_of(len(profile.indicators))
    for offset, values in enumerate(old.block(L.SCORES, first, last, was.self_score)):
        for old_column, new_column in ((was.self_rate, now.self_rate), (was.self_score, now.self_score)):
            value = values[old_column - 1]
            if value is not None:
                new.put(L.SCORES, f"{L.col(new_column)}{first + offset}", value)


def upgrade_file(src: str | os.PathLike, out: str | os.PathLike | None = None) -> Upgrade:
    src = Path(src)
    refuse_macro_workbook(src)
    old = PackageBook(src)  # read only, as validate reads it: the sheets it needs, within the guard's bounds
    version, _where = template_version(old)
    if version == versions.CURRENT:
        return Upgrade(version)
    if versions.newer_than_current(version):
        raise BadFile(f"工作簿模板版本为 {version}，比本程序的 {versions.CURRENT} 新，无需升级", hint="请安装新版 preval")
    profile = named_profile(old)
    # a re-pointed name or a swapped sheet would carry figures nobody saw into a clean new workbook
    known = versions.supported(version)  # the layouts of 0.1-0.3 are not stated: their sheets still are
    bad = errors(check_sheets(old) + (check_names(old, profile, version) if known else []))
    if bad:
        raise BadFile(f"工作簿的结构与模板不符，未升级：{bad[0].message}", where=bad[0].where,
                      hint="请先改正" + ("（preval validate 列出全部问题）" if known else "") + "，再升级")
    case = read_case(old)
    if case.missing_sheets or case.missing_names:
        missing = "、".join((*case.missing_sheets, *case.missing_names)[:5])
        raise BadFile(f"工作簿缺少{missing}，无法确定要复制的数据", hint="请在 Excel 中把数据填入 preval new 生成的新工作簿")
    new = OpenpyxlBook(build_workbook(profile.name))
    for name, loc in case.inputs.items():
        target = new.name_target(name)
        if target is not None and loc.value is not None:
            new.put(*target, loc.value)
    for row, values in case.findings:
        for column, value in enumerate(values, start=1):
            if value is not None:
                new.put(L.FINDINGS, f"{L.col(column)}{row}", value)
    for row, values in case.projects:  # a 0.10 workbook moved again (a later template)
        for column, value in enumerate(values, start=1):
            if value is not None:
                new.put(L.PROJECTS, f"{L.col(column)}{row}", value)
    if version not in ("", "0.1", "0.2", "0.3"):  # the self-report columns came with 0.4
        _self_report_columns(old, new, profile, version)
    written = save_book(new, Path(out) if out else beside(src, "_升级"))
    return Upgrade(version, written, profile.name, [s for s in old.sheet_names() if s not in L.SHEETS],
                   final_stamp(old) is not None)
