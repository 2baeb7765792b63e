"""Score a standard workbook: read it by defined names and 扣分记录, check, evaluate with
the engine, fill the output sheets. Written against ``Book``: the CLI passes an openpyxl
book, the ribbon an xlwings one."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from addin.books.atomic import check_output, open_elsewhere
from addin.books.package_book import PackageBook
from addin.books.protocol import Book, ReadBook
from addin.case import Case, read_case
from addin.checks import Problem, errors, problem
from addin.checks.arithmetic import check_arithmetic
from addin.checks.final import check_final, check_unsealed, final_stamp
from addin.checks.findings import check_findings
from addin.checks.formulas import check_formulas, content_key
from addin.checks.inputs import check_inputs
from addin.checks.plausibility import check_plausibility
from addin.checks.projects import Project, check_projects
from addin.checks.result_formats import check_result_formats
from addin.checks.selfreport import check_self_report, read_claims
from addin.checks.structure import check_formats, check_saved, check_template
from addin.computed import engine_values
from addin.errors import BadFile
from addin.fill import fill_checks, fill_outputs
from addin.seal import Verdict
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.live_notes import noted
from addin.workbook.printed_rubric import layout_differences
from udfs.engine import Evaluation, evaluate, inputs_needed
from udfs.inputs import Inputs
from udfs.profile import Profile, ProfileError, load_profile, parse_profile
from udfs.profile.model import MAX_RUBRIC_CHARS
from udfs.profile.serialize import digest


@dataclass
class Result:
    case: Case
    profile: Profile
    problems: list[Problem] = field(default_factory=list)
    evaluation: Evaluation | None = None
    inputs: Inputs | None = None  # typed, when every input cell is usable
    final: str | None = None  # a 定稿: when it was frozen (addin.checks.final)
    version: str = versions.CURRENT  # the workbook's template version (addin.workbook.versions)
    rubric_source: str = ""  # INSTALLED or CARRIED: which rubric scored it
    seal: Verdict | None = None  # a 定稿's signature, checked
    dropped: list[str] = field(default_factory=list)  # what a 定稿 left out (external places)
    compiled: Profile | None = None  # the rubric the workbook was made with, where another scores it
    projects: list[Project] = field(default_factory=list)  # 项目明细's rows, read (the report's table)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)


def template_version(book: ReadBook) -> tuple[str, str]:
    """(the workbook's 模板版本, where it is); a BadFile when it is no preval workbook."""
    target = book.name_target(L.VERSION_NAME)
    if target is None or book.name_target(L.PROFILE_NAME) is None:
        raise BadFile("这不是标准评价工作簿（缺少“模板版本”或“评分档案”）",
                      hint="请用 preval new 生成工作簿，再把数据填入黄色单元格")
    for sheet in {target[0], (book.name_target(L.PROFILE_NAME) or target)[0]}:
        if sheet not in book.sheet_names():
            raise BadFile(f"工作簿缺少工作表：{sheet}（“模板版本”和“评分档案”在这张表上）",
                          hint="请使用 preval new 生成的标准工作簿，不要删除或重命名工作表")
    value = book.get(*target)
    text = f"{value:g}" if isinstance(value, float) else str(value or "").strip()
    return text, f"{target[0]}!{target[1]}"


def embedded_rubric(book: ReadBook) -> tuple[str, str] | None:
    """(the rubric's JSON, its recorded sha256) as the workbook carries it (template 0.6), or
    None (an older workbook, or a 定稿 whose hidden column was dropped)."""
    try:
        recorded = book.get(L.RUBRIC, f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}")
    except (KeyError, ValueError):  # no 指标体系 sheet: the structure check says so
        return None
    if not isinstance(recorded, str) or len(recorded) != 64:
        return None
    chunks, row, size = [], L.EMBED_FIRST_ROW, 0
    while isinstance(chunk := book.get(L.RUBRIC, f"{L.EMBED_COLUMN}{row}"), str) and chunk.startswith(L.EMBED_MARK):
        chunks.append(chunk[len(L.EMBED_MARK):])
        size += len(chunks[-1])
        if size > MAX_RUBRIC_CHARS:  # read no further: the caller says it is too large
            break
        row += 1
    return "".join(chunks), recorded


def named_profile(book: ReadBook) -> Profile:
    """The profile the workbook was built for (its formulas and layout depend on it): the
    rubric it carries when it is intact, else the installed one of its name."""
    return choose_rubric(book).compiled


INSTALLED, CARRIED = "本机安装", "工作簿携带"  # which rubric scored a file (batch's 评分档案来源)


def look_alike_rubric(name: str, title: str = "") -> Problem | None:
    """V411: a rubric name or title that equals an installed one's to the eye (NFKC, invisible
    characters, spaces at the ends) but is another string: a ranking of its own that looks like
    the bureau's."""
    from addin.checks.structure import looks, spelled
    from udfs.profile import available_profiles

    for other in available_profiles():
        if other == name:
            return None
        try:
            other_title = load_profile(other).title
        except ProfileError:
            continue
        for what, mine, theirs in (("名称", name, other), ("标题", title, other_title)):
            if mine and mine != theirs and looks(mine) == looks(theirs):
                shown = spelled(mine, spaces=True)
                return problem("V411", L.GUIDE, L.GUIDE_CELLS[L.PROFILE_NAME], L.PROFILE_NAME,
                               f"评分档案的{what}“{shown}”与本机的评分档案“{other}”的{what}看起来相同，但不是同一个字符串",
                               theirs, shown)
    return None


def rubric_differences(installed: Profile, carried: Profile) -> list[str]:
    """Where two rubrics of one name differ, in the rubric's words: indicators (and which of
    their keys), the grade lines, the options."""
    from udfs.profile.serialize import to_data

    a, b = to_data(installed), to_data(carried)
    out = []
    by_no = {row["no"]: row for row in b["indicator"]}
    for row in a["indicator"]:
        other = by_no.pop(row["no"], None)
        if other != row:
            keys = sorted(k for k in set(row) | set(other or {}) if row.get(k) != (other or {}).get(k))
            out.append(f"{row['name']}（{'、'.join(keys)}）")
    out += [f"第{no}个指标（多出）" for no in by_no]
    if a["grade"] != b["grade"]:
        out.append("等级线")
    out += [f"选项 {k}" for k in a["options"] if a["options"][k] != b["options"].get(k)]
    return out


@dataclass
class Rubric:
    """Which rubric scores a workbook, and the one its formulas and printed rows were made
    from (the two differ where the installed rubric scores over a carried one)."""

    scoring: Profile
    compiled: Profile
    notes: list[Problem]
    source: str  # INSTALLED or CARRIED


def _differs(target: tuple[str, str], installed: Profile, carried: Profile, batch: bool, use_carried: bool) -> Rubric:
    """A carried rubric of the installed one's name but other content: the installed one
    scores (the reader's rubric, not the file's); ``use_carried`` (``--carried-rubric``) lets
    the carried one score where the reader asks for it, and batch never does."""
    differ = "、".join(rubric_differences(installed, carried)[:6])
    said = f"工作簿保存的评分档案“{carried.name}”与本机安装的同名档案不同（{differ}），"
    if batch:
        return Rubric(installed, carried, [problem("V412", *target, L.PROFILE_NAME, said + "批量汇总只按本机的档案排名",
                                                   "与本机档案相同", "不同")], INSTALLED)
    if use_carried:
        return Rubric(carried, carried, [problem("V407", *target, L.PROFILE_NAME,
                                                 said + "本次按工作簿保存的档案评分（--carried-rubric）",
                                                 "与本机档案相同", "不同")], CARRIED)
    apart = layout_differences(installed, carried)
    if apart:
        return Rubric(installed, carried, [problem("V417", *target, L.PROFILE_NAME,
                                                   said + f"且{'、'.join(apart)}不同，无法在这份工作簿中按本机档案评分",
                                                   "与本机档案的指标相同", "不同")], INSTALLED)
    return Rubric(installed, carried, [problem("V407", *target, L.PROFILE_NAME,
                                               said + "本次按本机安装的档案评分；要按工作簿保存的档案评分，加 --carried-rubric",
                                               "与本机档案相同", "不同")], INSTALLED)


def choose_rubric(book: ReadBook, batch: bool = False, use_carried: bool = False) -> Rubric:
    """The rubric that scores the workbook and what to say about it. An intact carried rubric
    scores only where no rubric of its name is installed (or the installed one is the same,
    or ``use_carried``); else the installed one does, and the difference is said (V407; in
    ``batch`` a 错误, V412: the bureau ranks by its own rubric, not the file's)."""
    target = book.name_target(L.PROFILE_NAME)
    assert target is not None  # template_version() refuses a workbook without it
    name = str(book.get(*target) or "").strip() or None
    where = f"{target[0]}!{target[1]}"
    try:
        installed: Profile | None = load_profile(name)
    except ProfileError as exc:
        installed, missing = None, exc
    carried = embedded_rubric(book)
    unusable = ""  # why an intact carried rubric is not used (said, never a silent fallback)
    if carried is not None and len(carried[0]) > MAX_RUBRIC_CHARS:
        unusable, carried = f"过大（超过 {MAX_RUBRIC_CHARS:,} 个字符），不像是评分档案", None
    if carried is not None and digest(carried[0]) == carried[1]:
        try:
            profile = parse_profile(json.loads(carried[0]), "工作簿中的评分档案")
        except ProfileError as exc:
            profile, unusable = None, f"本程序无法读取（{str(exc)[:80]}），可能由更新版本的 preval 生成"
        except ValueError:
            profile, unusable = None, "内容不是有效的评分档案"
        if profile is not None and profile.name != (name or profile.name):
            unusable = f"名称“{profile.name}”与“评分档案”单元格的“{name}”不符"
        if profile is not None and profile.name == (name or profile.name):  # the name cell agrees
            if installed is not None and content_key(installed) != carried[1]:
                return _differs(target, installed, profile, batch, use_carried)
            alike = None if installed is not None else look_alike_rubric(profile.name, profile.title)
            return Rubric(profile, profile, [alike] if alike else [], CARRIED if installed is None else INSTALLED)
    if installed is None:
        alike = look_alike_rubric(name or "")
        if alike is not None:
            raise BadFile(alike.message, where=where, hint="请用本机评分档案的名称（preval profiles 列出）")
        if unusable:
            raise BadFile(f"工作簿保存的评分档案{unusable}，本机也没有名为“{name}”的评分档案", where=where,
                          hint="请向制作工作簿的单位索取评分档案工作簿，用 preval profile import 导入")
        raise BadFile(str(missing), where=where, hint="用 preval profiles 查看可用的评分档案；"
                      "请向制作工作簿的单位索取评分档案工作簿，用 preval profile import 导入") from None
    notes = []
    if unusable:
        notes.append(problem("V410", L.RUBRIC, f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}", L.PROFILE_NAME,
                             f"工作簿保存的评分档案{unusable}，本次按本机安装的评分档案“{installed.name}”评分",
                             "可读取且名称一致", "不可用"))
    if carried is not None and digest(carried[0]) != carried[1]:  # edited by hand: not trusted, and said
        notes.append(problem("V408", L.RUBRIC, f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}", L.PROFILE_NAME,
                             f"工作簿保存的评分档案被改动过（校验值不符），本次按本机安装的评分档案“{installed.name}”评分",
                             "与校验值相符", "不符"))
    return Rubric(installed, installed, notes, INSTALLED)


def workbook_profile(book: ReadBook, batch: bool = False, use_carried: bool = False) -> tuple[Rubric, str]:
    """The rubric that scores the workbook (and the one it was made with), and its template
    version, when this program can read it as it is."""
    version, where = template_version(book)
    if versions.newer_than_current(version):
        raise BadFile(f"工作簿模板版本为 {version}，由更新版本的 preval 生成（本程序为 {versions.CURRENT}）",
                      where=where, hint="请安装新版 preval 后再试")
    if not versions.supported(version):
        raise BadFile(f"工作簿模板版本为 {version or '（空）'}，本程序可直接使用的版本为 {'、'.join(versions.SUPPORTED)}",
                      where=where, hint="运行 preval upgrade 工作簿.xlsx，生成当前版本的工作簿（数据自动复制，原文件保留）")
    return choose_rubric(book, batch, use_carried), version


def check_structure(case: Case) -> None:
    if case.missing_sheets:
        raise BadFile(f"工作簿缺少工作表：{'、'.join(case.missing_sheets)}",
                      hint="请使用 preval new 生成的标准工作簿，不要删除或重命名工作表")
    if case.missing_names:
        names = "、".join(case.missing_names[:5]) + ("等" if len(case.missing_names) > 5 else "")
        raise BadFile(f"工作簿缺少输入名称：{names}",
                      hint="这些名称标记输入单元格，请勿删除；可用 preval new 重新生成工作簿")
    if case.merged_inputs:
        loc = case.merged_inputs[0]
        raise BadFile(f"输入单元格 {loc.where} 与其他单元格合并了，工作簿结构已被改动",
                      where=loc.where, hint="选中该单元格，取消“合并后居中”，确认数值仍在该单元格中后再试")


def assess(book: ReadBook, batch: bool = False, trusted: dict[str, str] | None = None,
           use_carried: bool = False) -> Result:
    """Read and check; evaluate when no check is an 错误 (``batch``: by the installed rubric
    only; ``trusted``: the public keys a 定稿 must be signed with, by fingerprint;
    ``use_carried``: by the workbook's own rubric where it differs from the installed one).
    The workbook is checked against the rubric it was made with (its layout, formulas and
    seal) and scored by the one ``choose_rubric`` picks."""
    rubric, version = workbook_profile(book, batch, use_carried)
    made, profile, source = rubric.compiled, rubric.scoring, rubric.source
    template_problems = check_template(book, made, version)
    case = read_case(book)
    if errors(template_problems) or any(p.id == "V417" for p in rubric.notes):
        # what is read is not what the template's cells show, or the rubric cannot score this layout
        return Result(case, profile, template_problems + rubric.notes, version=version, rubric_source=source,
                      compiled=made)
    check_structure(case)
    template_problems += check_formats(book, case)
    input_problems, inputs = check_inputs(case, inputs_needed(profile))
    finding_problems, findings = check_findings(case, profile)
    result = Result(case, profile, template_problems + rubric.notes + input_problems, inputs=inputs, version=version,
                    rubric_source=source, compiled=made)
    if inputs is not None:
        result.problems += check_arithmetic(case, inputs, profile) + check_plausibility(case, inputs, profile)
    project_problems, result.projects = check_projects(case, inputs)
    result.problems += project_problems
    claim_problems, claims = read_claims(book, made, version)
    result.problems += finding_problems + claim_problems
    result.final = final_stamp(book)
    if result.final is not None:  # values only by design: nothing to restore, but was it edited, and by whom?
        final_problems, result.seal = check_final(book, made, version, trusted)  # sealed with the rubric it carries
        result.problems += final_problems
    else:
        result.problems += check_unsealed(book)
        if book.reads_formulas:
            result.problems += check_formulas(book, made, version)
    if inputs is None or result.errors:
        return result
    result.evaluation = evaluate(inputs, findings, profile)
    result.problems += check_self_report(case, inputs, result.evaluation, claims)
    if result.final is None:  # a 定稿's saved values are its content, checked by its digest (V405)
        result.problems += check_saved(book, made, version, result.evaluation)
        shown = check_result_formats(book, shown_values(profile, case, result.evaluation, inputs, version))
        result.problems += shown
        if errors(shown):  # what a reader sees is not the result: nothing is filled or reported
            result.evaluation = None
    return result


def shown_values(profile: Profile, case: Case, ev: Evaluation, inputs: Inputs, version: str) -> dict[tuple[str, str], object]:
    """What the results a reader sees compute: the scores, totals and grade, and each indicator's
    评分说明 (its score, 评分依据, 扣分事由)."""
    values = engine_values(profile, case, ev, inputs, version)
    for result in ev.indicators:
        row = L.row_of(result.no)
        values[(L.NOTES, L.at(L.NOTES_SCORE, row))] = float(result.score)
        values[(L.NOTES, L.at(L.NOTES_BASIS, row))] = result.basis
        values[(L.NOTES, L.at(L.NOTES_REASONS, row))] = "；".join(noted(f.reason, f.evidence) for f in result.findings)
    return values


def beside(src: Path, tag: str, suffix: str | None = None) -> Path:
    """Where an output of ``src`` goes by default: same folder, name + tag
    (参考案例.xlsx -> 参考案例_评分.xlsx, 参考案例_评价报告.docx)."""
    return src.with_name(f"{src.stem}{tag}{suffix or '.xlsx'}")  # a workbook we write is always an .xlsx


def refuse_final(result: Result, where: str) -> None:
    """A 定稿 is never rescored nor frozen again: it has values where the formulas were."""
    if result.final is not None:
        raise BadFile(f"这是定稿（{result.final} 导出），只有数值、没有公式，不能重新计算评分或再次导出定稿",
                      where=where, hint="请对原工作簿运行 preval score；校验、生成报告和批量汇总可以直接使用这份定稿")


MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")


def _has_macros(src: Path) -> bool:
    """Macros inside, whatever the name says (an .xlsm renamed .xlsx)."""
    import zipfile

    try:
        with zipfile.ZipFile(src) as z:
            return any(n.lower().endswith("vbaproject.bin") for n in z.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False  # not a package: the file guard says what it is


def refuse_macro_workbook(src: Path) -> None:
    """A workbook with macros is only read: what preval writes is an .xlsx, without them."""
    if src.suffix.lower() not in MACRO_SUFFIXES and _has_macros(src):
        raise BadFile(f"{src.name} 含有宏（VBA 工程），却以 .xlsx 命名：preval 写出的 .xlsx 不能含宏，Excel 会拒绝打开，因此未写入",
                      hint="在 Excel 中另存为“Excel 工作簿(*.xlsx)”（去掉宏）后再计算；校验可直接使用")
    if src.suffix.lower() in MACRO_SUFFIXES:
        raise BadFile(f"{src.name} 是含宏的工作簿（{src.suffix}）：preval 写出的是不含宏的 .xlsx，宏会丢失，因此未计算",
                      hint="在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再计算（宏仍保留在原文件中）；校验和生成报告可直接使用")


def fill_scored(book: Book, src: Path, when: datetime | None = None, use_carried: bool = False) -> Result:
    """Check ``book``; without 错误, fill its output sheets (kept in ``book`` until saved)."""
    result = assess(book, use_carried=use_carried)
    refuse_final(result, str(src))
    if result.evaluation is not None:
        fill_result(book, result, when)
    return result


def fill_result(book: Book, result: Result, when: datetime | None = None) -> None:
    """Fill the output sheets of ``book`` from its scored ``result`` (score and the ribbon): by
    the rubric that scored it, whose words and formulas replace the one it was made with."""
    assert result.evaluation is not None  # an evaluation exists only without 错误: every problem is a 提示
    fill_outputs(book, result.case, result.evaluation, result.inputs, result.profile, result.problems, when,
                 result.version, result.compiled)


def open_scored(src: Path, when: datetime | None = None, use_carried: bool = False) -> tuple[PackageBook, Result]:
    """Open, check and fill ``src`` through the package reader, whose save keeps every byte
    preval does not own."""
    refuse_macro_workbook(src)
    book = PackageBook(src)
    return book, fill_scored(book, src, when, use_carried)


def score_file(src: str | os.PathLike, out: str | os.PathLike | None = None,
               when: datetime | None = None, in_place: bool = False, force: bool = False,
               use_carried: bool = False) -> tuple[Result, Path | None]:
    """Score ``src`` into a new file (``out`` or ``<src>_评分.xlsx``); the source is only
    read. ``in_place`` replaces the source atomically, keeping the original as ``.bak``.
    Nothing is written when a check is an 错误."""
    src = Path(src)
    refuse_macro_workbook(src)
    target = src if in_place else Path(out) if out else beside(src, "_评分")
    check_output(target, [] if in_place else [src])  # before reading: a wrong -o is said at once
    holder = open_elsewhere(target) if in_place else ""  # another output open elsewhere: a warning (cli)
    if holder and not force:
        raise BadFile(f"{target.name} 正在 {holder} 中打开：写入后，该程序下次保存时会用它自己的副本覆盖评分结果，因此未写入",
                      hint="先在该程序中关闭此文件再运行；确实要写入时加 --force")
    book, result = open_scored(src, when, use_carried)
    if result.evaluation is None:
        return result, None
    return result, book.save(target, replace_source=in_place)


def mark_file(src: str | os.PathLike, out: str | os.PathLike,
              trusted: dict[str, str] | None = None, use_carried: bool = False) -> tuple[Result, Path]:
    """Validate ``src`` and write a copy whose 校验结果 lists the problems (and so, by the
    template's conditional formatting, colours the cells at fault). Scores are not filled."""
    refuse_macro_workbook(Path(src))  # the marked copy is an .xlsx: it cannot carry the macros
    book = PackageBook(Path(src))
    result = assess(book, trusted=trusted, use_carried=use_carried)
    fill_checks(book, result.problems)
    return result, book.save(out)
