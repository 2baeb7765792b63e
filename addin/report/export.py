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
                use_carried: bool = False) -> tuple[Result, Path | None, list[str]]:
    """Nothing is written when a check is an 错误; the workbook is only read (unscored,
    scored or a 定稿 alike: the report is computed from the inputs)."""
    src = Path(src)
    target = Path(out) if out else beside(src, KINDS[kind], ".docx")
    check_output(target, [src], ".docx")  # before reading: a wrong -o is said at once
    result = assess(PackageBook(src), trusted=trusted, use_carried=use_carried)
    if result.evaluation is None:
        return result, None, []
    return (result, *write_for(result, target, src, kind))


def write_for(result: Result, target: Path, source: Path | None = None,
              kind: str = THIRD_PARTY) -> tuple[Path, list[str]]:
    """The report of a scored ``result`` (CLI and ribbon), written atomically, and what is still
    to be written in it (its 【待填写】 markers)."""
    if result.evaluation is None or result.inputs is None:
        raise ValueError("write_for needs a scored result")  # a caller's bug, not the user's data
    if kind == SELF:
        content = build_self_content(result.evaluation, result.inputs, result.profile, result.problems, result.projects)
    else:
        content = build_content(result.evaluation, result.inputs, result.profile, result.problems, result.projects)
    written = write_atomic(target, lambda tmp: write_report(content, Path(tmp)), inputs=[source] if source else [],
                           suffix=".docx")
    return written, content.pending()


def pending_sentence(pending: list[str]) -> str:
    """"报告中还有 3 处待填写：文号、评价机构、报告日期（…）", or "" when nothing is."""
    if not pending:
        return ""
    shown = "、".join(pending[:8]) + ("等" if len(pending) > 8 else "")
    return f"报告中还有 {len(pending)} 处待填写：{shown}（在工作簿“报告内容”表填写后重新生成，或在 Word 中补写【待填写】处）"
