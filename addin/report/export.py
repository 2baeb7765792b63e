"""preval report: score a workbook (read only) and write its Word report."""

from __future__ import annotations

import os
from pathlib import Path

from addin.books.atomic import check_output, write_atomic
from addin.books.package_book import PackageBook
from addin.report.content import build_content
from addin.report.self_report import build_self_content
from addin.report.word import write_report
from addin.scoring import Result, assess, beside

THIRD_PARTY, SELF = "评价", "自评"  # the two reports: the evaluator's and the department's own
KINDS = {THIRD_PARTY: "_评价报告", SELF: "_自评报告"}


def report_file(src: str | os.PathLike, out: str | os.PathLike | None = None,
                kind: str = THIRD_PARTY, trusted: dict[str, str] | None = None,
                use_carried: bool = False) -> tuple[Result, Path | None]:
    """Nothing is written when a check is an 错误; the workbook is only read (unscored,
    scored or a 定稿 alike: the report is computed from the inputs)."""
    src = Path(src)
    target = Path(out) if out else beside(src, KINDS[kind], ".docx")
    check_output(target, [src], ".docx")  # before reading: a wrong -o is said at once
    result = assess(PackageBook(src), trusted=trusted, use_carried=use_carried)
    if result.evaluation is None:
        return result, None
    return result, write_for(result, target, src, kind)


def write_for(result: Result, target: Path, source: Path | None = None, kind: str = THIRD_PARTY) -> Path:
    """The report of a scored ``result`` (CLI and ribbon), written atomically."""
    if result.evaluation is None or result.inputs is None:
        raise ValueError("write_for needs a scored result")  # a caller's bug, not the user's data
    if kind == SELF:
        content = build_self_content(result.evaluation, result.inputs, result.profile, result.problems)
    else:
        content = build_content(result.evaluation, result.inputs, result.profile, result.problems)
    return write_atomic(target, lambda tmp: write_report(content, Path(tmp)), inputs=[source] if source else [],
                        suffix=".docx")
