"""The ``preval`` command. Exit codes: 0 ok, 1 validation 错误, 2 unusable file or usage, 3 a bug.

Only this module prints; errors are ``PrevalError``s mapped to exit codes in ``main``.
The score path must stay light: no xlwings or pandas import here (design.md).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from addin.cli_parser import NOTHING_ASKED, Registry, arg, build, echo, parse
from addin.errors import BUG, UNUSABLE, BadFile, InputProblem, PrevalError, UsageError

DESCRIPTION = "部门整体支出绩效评价：评分、校验与报告工具。"
cli = Registry(groups={"profile": "评分档案工作簿：生成、检查、导入（各地指标体系不必改程序）。",
                       "key": "定稿签名的密钥：评价机构用私钥签名定稿，财政局用公钥核验。"})
TRUST = arg("--trust", type=Path, action="append",
            help="信任的公钥（名称.pub）或存放公钥的文件夹，可给多次：定稿须由其中的密钥签名")


CARRIED_RUBRIC = arg("--carried-rubric", dest="use_carried", action="store_true",
                     help="工作簿保存的评分档案与本机安装的同名档案不同时，按工作簿保存的评分（默认按本机的）")


def _trusted(trust: list[Path] | None) -> dict[str, str] | None:
    from addin.seal import trusted_keys

    return None if not trust else trusted_keys(trust)


def version_text() -> str:
    """preval, xlwings and Python versions: what a support request needs first."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "未安装"

    return f"preval {of('preval')}（xlwings {of('xlwings')}，Python {platform.python_version()}）"


def _profile(name: str | None):
    from udfs.profile import ProfileError, load_profile

    try:
        return load_profile(name)
    except ProfileError as exc:
        raise UsageError(str(exc), hint="用 preval profiles 查看可用的评分档案") from None


def _print_problems(problems, stream_err: bool = False) -> None:
    for p in problems:
        echo(f"[{p.severity}] {p.id} {p.where}：{p.message}"
                   + (f"（应为：{p.expected}；实际：{p.found}）" if p.expected or p.found else ""), err=stream_err)


@cli.command('new',
             arg('out', type=Path, help="新工作簿的文件名（.xlsx）"),
             arg("--profile", "-p", help="评分档案名称"),
             arg("--force", action="store_true", help="文件已存在时覆盖"))
def new(out: Path, profile: str | None = None, force: bool = False) -> None:
    """生成一个空白的标准评价工作簿。"""
    from udfs.profile import DEFAULT_PROFILE, user_default

    chosen = profile or user_default()
    prof = _profile(chosen)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"文件名应以 .xlsx 结尾：{out}")
    if out.exists() and not force:
        raise UsageError(f"{out} 已存在，未覆盖", hint="换一个文件名，或加 --force 覆盖")
    template = _committed_template(prof.name)
    if template is not None:  # the same bytes every user of this rubric gets: copy, do not build
        from addin.books.atomic import write_atomic

        write_atomic(out, lambda tmp: Path(tmp).write_bytes(template), suffix=".xlsx")
    else:  # openpyxl (and numpy with it) only when a workbook is built
        from addin.books.openpyxl_book import OpenpyxlBook, save_book
        from addin.workbook.build import build_workbook

        save_book(OpenpyxlBook(build_workbook(prof.name)), out)
    how = "" if profile else "（本机默认）" if chosen else "（未设默认评分档案，用内置的 " + DEFAULT_PROFILE + "）"
    echo(f"已生成 {out}（评分档案：{prof.name} {prof.title}{how}）。请填写黄色单元格，然后运行 preval score {out}")


def _committed_template(profile_name: str) -> bytes | None:
    """The committed standard workbook (xlsx_templates/, shipped as package data; the tests keep
    it equal to a fresh build), when it is the one for this rubric."""
    from importlib import resources

    from addin.workbook.layout import FILE_NAME
    from udfs.profile import DEFAULT_PROFILE

    if profile_name != DEFAULT_PROFILE:
        return None
    try:
        return (resources.files("xlsx_templates") / FILE_NAME).read_bytes()
    except (ModuleNotFoundError, OSError):  # an installation without it: build instead
        return None


@cli.command('validate',
             arg('book', type=Path, help="评价工作簿（.xlsx）"),
             arg("--json", dest='as_json', action="store_true", help="以 JSON 输出"),
             arg("-o", "--output", dest='out', type=Path,
                 help="另存一份副本：校验结果表列出问题，出错的单元格标红、提示标橙（不计算评分）"), TRUST, CARRIED_RUBRIC)
def validate(book: Path, as_json: bool = False, out: Path | None = None, trust: list[Path] | None = None,
             use_carried: bool = False) -> int:
    """只校验，默认不写任何文件。有“错误”时退出码为 1。"""
    from addin.books.package_book import PackageBook
    from addin.scoring import assess, mark_file

    trusted = _trusted(trust)
    if out is not None:
        result, written = mark_file(book, out, trusted, use_carried)
    else:
        result, written = assess(PackageBook(book), trusted=trusted, use_carried=use_carried), None
    errors = result.errors
    if as_json:
        echo(json.dumps({"findings": [p.to_dict() for p in result.problems], "errors": len(errors),
                               "hints": len(result.problems) - len(errors)}, ensure_ascii=False, indent=2))
    else:
        _print_problems(result.problems)
        echo(f"校验完成：{len(errors)} 个错误，{len(result.problems) - len(errors)} 个提示。")
        if written is not None:
            echo(f"已写入 {written}（打开“校验结果”表，或看标红、标橙的单元格）")
        if errors:
            echo(f"下一步：改正上面的错误后再运行 preval validate {runnable(book)}")
        elif result.final is not None:  # a 定稿 is values only: score refuses it
            echo(f"下一步：preval report {runnable(book)}（定稿只有数值，不能再计算评分；要修改请对原工作簿操作）")
        else:
            echo(f"下一步：preval score {runnable(book)}")
    return 1 if errors else 0


@cli.command('score',
             arg('book', type=Path, help="评价工作簿（.xlsx）"),
             arg("-o", "--output", dest='out', type=Path, help="输出文件（默认：原文件名_评分.xlsx）"),
             arg("--json", dest='as_json', action="store_true", help="以 JSON 输出（score --json 格式）"),
             arg("--in-place", action="store_true", help="直接更新原文件（原文件保留为 .bak）"),
             arg("--force", action="store_true", help="输出文件正在 Excel、WPS 或 LibreOffice 中打开时仍写入"),
             CARRIED_RUBRIC)
def score(book: Path, out: Path | None = None, as_json: bool = False, in_place: bool = False,
          force: bool = False, use_carried: bool = False) -> int:
    """校验并计算评分，把结果写入工作簿副本的评分表、评分说明、汇总和校验结果。"""
    from addin.result_json import evaluation_to_dict
    from addin.scoring import score_file

    if in_place and out is not None:
        raise UsageError("--in-place 与 -o 不能同时使用")
    result, written = score_file(book, out, in_place=in_place, force=force, use_carried=use_carried)
    ev = _require_evaluation(result, book)
    if as_json:
        data = evaluation_to_dict(ev, [p.to_dict() for p in result.problems])
        echo(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _show(ev, result.profile)
    _print_problems(result.problems)
    echo(f"已写入 {written}")
    _warn_if_open(written)
    echo(f"下一步：preval report {runnable(written)}（评价报告）或 preval finalize {runnable(written)}（定稿）")
    return 0


def _require_evaluation(result, book: Path):
    """The evaluation; none means 错误 were found: list them and exit 1."""
    if result.evaluation is None:
        _print_problems(result.errors, stream_err=True)
        raise InputProblem(f"发现 {len(result.errors)} 个错误，未计算评分", where=str(book),
                           hint="按上面的位置改正后重新运行；preval validate 工作簿 -o 副本.xlsx 可写出标出错误单元格的副本")
    return result.evaluation


def _warn_if_open(written: Path | None) -> None:
    """An output that another program has open: it will save its own copy over ours."""
    from addin.books.atomic import open_elsewhere

    holder = open_elsewhere(written) if written is not None else ""
    if holder and written is not None:
        echo(f"注意：{written.name} 正在 {holder} 中打开，该程序保存时会覆盖刚写入的内容；请先关闭它，再重新打开查看",
             err=True)


def _exported(result, written: Path | None, book: Path, what: str) -> int:
    ev = _require_evaluation(result, book)
    echo(f"总分 {ev.total} 分，评价等级 {ev.grade}")
    _print_problems(result.problems)
    echo(f"已写入{what} {written}")
    _warn_if_open(written)
    return 0


@cli.command('finalize',
             arg('book', type=Path, help="评价工作簿（.xlsx）"),
             arg("-o", "--output", dest='out', type=Path, help="输出文件（默认：原文件名_定稿.xlsx）"),
             arg("--sign", type=Path, help="用评价机构的私钥（preval key new 生成的 名称.key）签名定稿"), CARRIED_RUBRIC)
def finalize(book: Path, out: Path | None = None, sign: Path | None = None, use_carried: bool = False) -> int:
    """导出定稿：计算评分后把所有公式换成数值，任何表格软件打开都显示相同数字（不含公式，全部锁定）。"""
    from addin.finalize import finalize_file

    result, written = finalize_file(book, out, key=sign, use_carried=use_carried)
    code = _exported(result, written, book, "定稿")
    for dropped in result.dropped:
        echo(f"定稿中已删除（打开时会访问的外部位置，定稿不需要）：{dropped}")
    if sign is not None:
        echo(f"已用密钥 {sign.stem} 签名；财政局核验：preval verify 定稿 --trust {sign.stem}.pub")
    return code


@cli.command('verify',
             arg('book', type=Path, help="定稿（.xlsx）"), TRUST)
def verify(book: Path, trust: list[Path] | None = None) -> int:
    """核验定稿：由谁签名、导出后是否被改动。签名有效且签名者受信任（--trust）时退出码为 0，否则为 1。"""
    from addin.books.package_book import PackageBook
    from addin.checks import errors
    from addin.checks.final import final_stamp
    from addin.scoring import assess
    from addin.seal import BROKEN, UNSIGNED, VALID

    trusted = _trusted(trust)
    package = PackageBook(book)
    result = assess(package, trusted=trusted)
    if result.final is None:
        stamp = final_stamp(package)
        bad = errors(result.problems)
        if stamp is not None and bad:  # a 定稿 whose structure stopped the checks before its seal
            echo(f"{book} 是定稿（导出时间 {stamp}），但结构与模板不符，无从核验封存：{bad[0].where} {bad[0].message}"
                 + (f"（另有 {len(bad) - 1} 个错误，preval validate 列出全部）" if len(bad) > 1 else ""), err=True)
            echo("核验未通过")
            return 1
        echo(f"{book} 不是定稿（没有定稿标记），无从核验", err=True)
        return 1
    verdict = result.seal  # assess checks the seal of every 定稿
    assert verdict is not None
    intact = not any(p.id in ("V405", "V416") for p in result.problems)
    echo(f"定稿导出时间：{result.final}")
    if verdict.status == UNSIGNED:
        echo("签名：无")
    else:
        echo(f"签名：{verdict.signer}（{verdict.fingerprint}，{verdict.when}）——{verdict.status}"
             + (f"，与信任的公钥 {verdict.trusted_as}.pub 一致" if verdict.trusted_as else ""))
    echo(f"内容：{'与导出时一致' if intact and verdict.status != BROKEN else '导出后被改动过'}")
    if trusted is None and verdict.status == VALID:
        echo("未给出 --trust：签名本身有效，但未核对签名者是否可信")
    ok = trusted is not None and verdict.status == VALID and intact
    echo("核验通过" if ok else "核验未通过")
    return 0 if ok else 1


@cli.command('new',
             arg('name', help="密钥名称，如 评价机构"),
             arg("-o", "--output", dest='out', type=Path, default=Path("."), help="存放密钥的文件夹（默认：当前文件夹）"),
             group="key")
def key_new(name: str, out: Path = Path(".")) -> int:
    """生成签名密钥：名称.key（私钥，只有评价机构保存，不要外传）和 名称.pub（公钥，交给财政局）。"""
    from addin.seal import new_key, trusted_keys

    key, pub = new_key(name, out)
    (fpr,) = trusted_keys([pub])
    echo(f"已生成私钥 {key}（仅本人可读，请妥善保管）和公钥 {pub}（指纹 {fpr}）")
    echo(f"下一步：preval finalize 工作簿.xlsx --sign {runnable(key)}")
    return 0


@cli.command('upgrade',
             arg('book', type=Path, help="旧版模板的评价工作簿（.xlsx）"),
             arg("-o", "--output", dest='out', type=Path, help="输出文件（默认：原文件名_升级.xlsx）"))
def upgrade(book: Path, out: Path | None = None) -> int:
    """把旧版模板的工作簿升级为当前版本：生成新工作簿，复制全部输入、扣分记录和自评数字，原文件不改动。"""
    from addin.upgrade import upgrade_file
    from addin.workbook.versions import CURRENT

    done = upgrade_file(book, out)
    if done.out is None:
        echo(f"{book} 已是当前模板版本 {CURRENT}，无需升级。")
        return 0
    echo(f"已写入 {done.out}（模板版本 {done.old_version or '（空）'} → {CURRENT}，评分档案 {done.profile}），原文件未改动。")
    if done.left_out:
        echo(f"以下工作表是自行添加的，未复制到新工作簿，如需要请手工复制：{'、'.join(done.left_out)}")
    if done.from_final:
        echo("原文件是定稿；新工作簿可以再次修改和计算。")
    echo(f"下一步：preval score {runnable(done.out)}")
    return 0


@cli.command('report',
             arg('book', type=Path, help="评价工作簿（.xlsx）"),
             arg("-o", "--output", dest='out', type=Path, help="输出文件（默认：原文件名_评价报告.docx 或 _自评报告.docx）"),
             arg("--kind", default="评价", help="评价（第三方评价报告，默认）或 自评（部门自评报告）"), TRUST,
             CARRIED_RUBRIC)
def report(book: Path, out: Path | None = None, kind: str = "评价", trust: list[Path] | None = None,
           use_carried: bool = False) -> int:
    """生成 Word 报告：第三方评价报告（部门概况……改进措施及有关建议，附件1评分表、附件2评分说明），
    或 --kind 自评 生成部门自评报告。文字部分取自工作簿“报告内容”表，未填的显示【待填写】。"""
    from addin.report.export import KINDS, report_file

    if kind not in KINDS:
        raise UsageError(f"--kind 应为 {' 或 '.join(KINDS)}，实际为“{kind}”")
    from addin.report.export import pending_sentence

    result, written, pending = report_file(book, out, kind, _trusted(trust), use_carried)
    code = _exported(result, written, book, f"{kind}报告")
    if pending_sentence(pending):
        echo(pending_sentence(pending))
    return code


@cli.command('import',
             arg('files', type=Path, nargs="+", metavar="决算文件",
                 help="部门决算公开文件：PDF、网页（.html/.htm）或 Excel（.xlsx/.xls），可给多个"),
             arg("--into", type=Path, metavar="工作簿", help="导入到这个评价工作簿的副本（默认：生成新的标准工作簿）"),
             arg("-o", "--output", dest='out', type=Path, help="输出文件（默认：工作簿名_导入.xlsx，或第一个决算文件名_导入.xlsx）"),
             arg("--force", action="store_true", help="工作簿中已填写的不同数值也用决算的数值覆盖（逐项列出旧值→新值）"),
             arg("--json", dest='as_json', action="store_true", help="以 JSON 输出"))
def import_final_accounts(files: list[Path], into: Path | None = None, out: Path | None = None, force: bool = False,
                          as_json: bool = False) -> int:
    """从部门决算导入数据：读出决算表中的金额，填入评价工作簿副本的黄色单元格，并说明每个数值的出处。

    按表名识别收入支出决算总表、支出决算表、基本支出决算表、“三公”经费支出决算表等，以及决算说明中的
    年初预算、政府采购语句；核对决算自身的勾稽关系；最后列出决算中没有、仍需手工填写的项目。
    原工作簿不会被改动。有“错误”（某个数值无法读取）时退出码为 1。"""
    from addin.accounts.into_workbook import write, write_new
    from addin.accounts.take import take
    from addin.books.atomic import open_elsewhere
    from addin.checks import shown

    if into is not None and into.suffix.lower() != ".xlsx":
        raise UsageError(f"--into 应为评价工作簿（.xlsx）：{into}")
    target = out or (into.with_name(into.stem + "_导入.xlsx") if into is not None
                     else files[0].with_name(files[0].stem + "_导入.xlsx"))
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件名应以 .xlsx 结尾：{target}")
    if any(_same_file(target, p) for p in [*files, *([into] if into else [])]):
        raise UsageError(f"输出文件 {target} 与输入文件相同，原文件不会被改动", hint="用 -o 指定另一个文件名")
    holder = open_elsewhere(target) if target.exists() else ""
    if holder:
        raise UsageError(f"{target.name} 正在 {holder} 中打开，无法写入", hint="请先关闭它，或用 -o 指定另一个文件名")
    taken = take(files)
    if into is not None:
        written = write(taken.figures, into, target, force)
    else:
        written = write_new(taken.figures, _standard_template(), target)
    errors = [p for p in taken.problems if p.severity == "错误"]
    if as_json:
        echo(json.dumps({
            "output": str(written.path),
            "tables": [{"kind": k, "title": t.title, "file": t.source, "where": t.where} for k, t in taken.tables],
            "imported": [{"input": f.key, "value": str(f.value), "cell": cell, "source": f.where}
                         for f, cell in written.imported],
            "same": [f.key for f in written.same],
            "kept": [{"input": f.key, "workbook": shown(old), "final_accounts": str(f.value)} for f, old in written.kept],
            "replaced": [{"input": f.key, "old": shown(old), "new": str(f.value)} for f, old in written.replaced],
            "problems": [{"severity": p.severity, "where": p.where, "message": p.message} for p in taken.problems],
            "remaining": written.remaining}, ensure_ascii=False, indent=2))
        return 1 if errors else 0
    _show_import(taken, written)
    return 1 if errors else 0


def _standard_template() -> bytes:
    from udfs.profile import DEFAULT_PROFILE

    template = _committed_template(DEFAULT_PROFILE)
    if template is None:
        import io

        from addin.workbook.build import build_workbook

        buffer = io.BytesIO()
        build_workbook(DEFAULT_PROFILE).save(buffer)
        template = buffer.getvalue()
    return template


def _show_import(taken, written) -> None:
    from addin.checks import shown

    found = "、".join(f"{k}（{t.source}{t.where}）" for k, t in taken.tables)
    echo(f"找到 {len(taken.tables)} 张决算表：{found or '无'}")
    echo(f"已导入 {len(written.imported)} 项：")
    for figure, cell in written.imported:
        echo(f"  {figure.key} = {figure.shown()}（{cell}）← {figure.where}")
    if written.same:
        echo("工作簿中已是相同数值：" + "、".join(f.key for f in written.same))
    for figure, old in written.replaced:
        echo(f"已覆盖 {figure.key}：{shown(old)} → {figure.shown()}（--force）")
    for figure, old in written.kept:
        echo(f"未覆盖 {figure.key}：工作簿中为 {shown(old)}，决算为 {figure.shown()}（{figure.where}）；"
             "要用决算的数值，加 --force")
    if taken.problems:
        echo("决算核对：")
        for p in taken.problems:
            echo(f"  [{p.severity}] {p.where}：{p.message}")
    if written.remaining:
        echo("决算中没有、还需手工填写：" + "、".join(written.remaining))
    if written.notes_refused:
        echo(f"工作表{'、'.join(written.notes_refused)}已有批注，preval 未再添加来源批注；来源见上面的列表")
    echo(f"已写入 {written.path}")
    echo(f"下一步：打开 {written.path.name} 填写其余黄色单元格，然后运行 preval validate {runnable(written.path)}")


@cli.command('batch',
             arg('folder', type=Path, help="存放各单位评价工作簿的文件夹"),
             arg("-o", "--output", dest='out', type=Path, default=Path("汇总.xlsx"), help="汇总工作簿"),
             arg("--workers", "-j", type=int, default=0, help="并行进程数（默认：CPU 核数，最多2）"),
             arg("--recursive", "-r", action="store_true", help="也评分子文件夹中的工作簿"), TRUST)
def batch(folder: Path, out: Path = Path("汇总.xlsx"), workers: int = 0, recursive: bool = False,
          trust: list[Path] | None = None) -> int:
    """批量评分：对文件夹中每个工作簿计算评分，汇总为一个工作簿（排名、等级分布、未能评分的文件及原因）。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from addin.batch.run import default_workers, run, workbook_files
    from addin.batch.summary import write_summary

    trusted = _trusted(trust)
    if folder.is_file():
        raise UsageError(f"{folder} 是文件，不是文件夹",
                         hint=f"批量评分请指定存放评价工作簿的文件夹；单个工作簿用 preval score {runnable(folder)}")
    if not folder.is_dir():
        raise UsageError(f"找不到文件夹 {folder}", hint="指定存放评价工作簿的文件夹")
    listing = workbook_files(folder, recursive=recursive)
    if any(_same_file(out, f) for f in listing.files):
        if _is_evaluation_workbook(out):
            raise UsageError(f"-o 指向文件夹中的评价工作簿 {out.name}，汇总会覆盖它", hint="用 -o 指定另一个文件名")
        listing.files = [f for f in listing.files if not _same_file(out, f)]  # our earlier summary
    files = listing.files
    skipped = [f"{n} 个{what}" for n, what in ((listing.lock_files, "Excel 临时文件（~$ 开头）"),
                                              (listing.hidden, "隐藏文件"), (listing.folders, "子文件夹（加 --recursive 一并评分）"))
               if n]
    if skipped:
        echo(f"已跳过：{'、'.join(skipped)}。", err=True)
    if not files:
        raise UsageError(f"文件夹 {folder} 中没有文件")
    from addin.books.atomic import hold

    columns = (TextColumn("评分中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with hold(out):  # the output's lock first: a second batch on the same output stops now, not after the work
        with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("", total=len(files))
            outcomes = run(files, workers or default_workers(), lambda _: bar.advance(task), trusted=trusted)
        scored = [o for o in outcomes if o.row is not None]
        for o in outcomes:
            if o.row is None:
                echo(f"[未能评分] {o.file}：{o.reason}", err=True)
        if not scored:
            raise BadFile(f"{len(files)} 个文件都未能评分，未写汇总", hint="见上面各文件的原因")
        written = write_summary(outcomes, out, files)
    from addin.batch.dedupe import deduplicate, identity_conflicts

    _, duplicates = deduplicate(outcomes)
    extra = f"（其中 {len(duplicates)} 个重复文件未计入排名，见“重复文件”表）" if duplicates else ""
    echo(f"已评分 {len(scored)} 个{extra}，未能评分 {len(outcomes) - len(scored)} 个；已写入 {written}")
    for text in identity_conflicts(outcomes):  # on the 汇总 sheet too
        echo(f"[冲突] {text}", err=True)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_evaluation_workbook(path: Path) -> bool:
    """Whether ``path`` holds a department's workbook (it has the template's names)."""
    from addin.books.workbook_xml import read_map

    try:
        return "模板版本" in read_map(path).names
    except Exception:  # noqa: BLE001 - anything unreadable is no evaluation workbook to protect
        return False


def _show(ev, prof) -> None:
    from rich.console import Console

    from addin.score_table import render

    console = Console()
    render(ev, console)
    console.print(f"评分档案：{prof.name}（{prof.title}）")


@cli.command('demo',
             arg("--profile", "-p", help="评分档案名称"),
             arg("--out", type=Path, default=Path("out"), metavar="输出文件夹", help="输出文件夹（默认 out）"),
             arg("--json", dest='as_json', action="store_true", help="以 JSON 输出（score --json 格式）"))
def demo(profile: str | None = None, out: Path = Path("out"), as_json: bool = False) -> None:
    """参考案例（邵阳市信访局2022年度）：生成工作簿、填入数据、计算评分，写入 out/。"""
    from addin.books.openpyxl_book import OpenpyxlBook, save_book
    from addin.case import write_case
    from addin.result_json import evaluation_to_dict
    from addin.scoring import score_file
    from addin.workbook.build import build_workbook
    from udfs import reference_case

    prof = _profile(profile)
    suffix = "" if profile is None else f"-{prof.name}"
    filled = OpenpyxlBook(build_workbook(prof.name))
    write_case(filled, reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS, reference_case.RAW_PROJECTS)
    source = save_book(filled, out / f"reference-case-input{suffix}.xlsx")
    result, written = score_file(source, out / f"reference-case{suffix}.xlsx")
    if result.evaluation is None:
        _print_problems(result.errors, stream_err=True)
        raise InputProblem("参考案例未通过校验（程序错误，请反馈）")
    data = evaluation_to_dict(result.evaluation, [p.to_dict() for p in result.problems])
    text = json.dumps(data, ensure_ascii=False, indent=2)
    target = out / f"reference-case-{prof.name}.json"
    try:
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入输出文件夹 {out}：{exc.strerror}", hint="换一个可写的文件夹（--out）") from None
    if as_json:
        echo(text)
        return
    from addin.finalize import finalize_file
    from addin.report.export import report_file

    _, report_path, _pending = report_file(source, out / f"reference-case{suffix}-report.docx")
    _, final_path = finalize_file(source, out / f"reference-case{suffix}-定稿.xlsx")
    from addin.excel.build_addin import build

    addin_path = build(out / "preval.xlam")
    _show(result.evaluation, prof)
    _print_problems(result.problems)
    echo(f"已写入 {source}（填好的输入）、{written}（评分结果）、{target}、"
               f"{report_path}（Word 评价报告）、{final_path}（定稿，不含公式）、{addin_path}（Excel 加载项）")


@cli.command('build-addin',
             arg("-o", "--output", dest='out', type=Path, default=Path("preval.xlam"), help="输出的加载项文件"),
             arg("--interpreter", help="Python 解释器（默认：安装程序建立的 %LOCALAPPDATA%\\preval\\env）"))
def build_addin(out: Path = Path("preval.xlam"), interpreter: str | None = None) -> int:
    """生成 Excel 加载项 preval.xlam（“绩效评价”功能区选项卡和 PREVAL_* 函数），由仓库中的文本源文件构建。"""
    from addin.excel.build_addin import Settings, build

    written = build(out, Settings(interpreter=interpreter) if interpreter else Settings())
    echo(f"已写入加载项 {written}")
    return 0


@cli.command('install-addin',
             arg("--dry-run", action="store_true", help="只显示将要做的事，不写任何文件"),
             arg("--xlstart", type=Path, help="Excel 启动文件夹（默认：%APPDATA%\\Microsoft\\Excel\\XLSTART）"),
             arg("--interpreter", help="Python 解释器（默认：本环境的 pythonw.exe）"))
def install_addin(dry_run: bool = False, xlstart: Path | None = None, interpreter: str | None = None) -> int:
    """为本 Python 环境安装加载项：生成 preval.xlam 并放入 Excel 启动文件夹（请先关闭 Excel）。"""
    from addin.excel.install_addin import install, plan

    p = plan(xlstart, interpreter)
    for line in p.lines():
        echo(("[演练] " if dry_run else "") + line)
    if dry_run:
        echo("演练结束，未写入任何文件。去掉 --dry-run 即执行安装。")
        return 0
    echo(f"已安装加载项 {install(p)}。请重新打开 Excel。")
    return 0


@cli.command('profiles')
def profiles() -> None:
    """列出可用的评分档案及其来源（内置，或本机导入的文件）。"""
    from udfs.profile import DEFAULT_PROFILE, ProfileError, available_profiles, load_profile, profile_origin, user_default

    default = user_default() or DEFAULT_PROFILE
    for name in available_profiles():
        try:
            title = load_profile(name).title
        except ProfileError as exc:
            title = f"（无法读取：{exc}）"
        mark = "  [默认]" if name == default else ""
        echo(f"{name}\t{title}\t来源：{profile_origin(name)}{mark}")




@cli.command('new',
             arg('out', type=Path, help="评分档案工作簿的文件名（.xlsx），如 岳阳2024.xlsx"),
             arg("--from", dest='base', help="以哪个评分档案为底稿（默认：本机默认档案）"),
             arg("--force", action="store_true", help="文件已存在时覆盖"), group="profile")
def profile_new(out: Path, base: str | None = None, force: bool = False) -> None:
    """生成可编辑的评分档案工作簿（按底稿预填，每个子项一行，计分方式从下拉列表选择）。"""
    from addin.rubric.write import write_rubric
    from udfs.profile import user_default

    prof = _profile(base or user_default())
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"文件名应以 .xlsx 结尾：{out}")
    if out.exists() and not force:
        raise UsageError(f"{out} 已存在，未覆盖", hint="换一个文件名，或加 --force 覆盖")
    written = write_rubric(prof, out)
    echo(f"已生成 {written}（底稿：{prof.name} {prof.title}）。改好后运行 preval profile check {out}")


def _checked_rubric(book: Path):
    from addin.rubric.read import read_rubric

    if not book.exists():
        raise UsageError(f"找不到文件 {book}")
    reading = read_rubric(book)
    for mistake in reading.mistakes:
        echo(f"[错误] {mistake}")
    if reading.mistakes or reading.profile is None:
        raise InputProblem(f"评分档案工作簿有 {len(reading.mistakes)} 处错误，请按上面所列单元格修改后再检查")
    return reading.profile


@cli.command('check',
             arg('book', type=Path, help="评分档案工作簿（.xlsx）"), group="profile")
def profile_check(book: Path) -> int:
    """检查评分档案工作簿：每个错误给出单元格和原因。没有错误时退出码为 0。"""
    prof = _checked_rubric(book)
    echo(f"检查通过：{prof.name} {prof.title}，{len(prof.indicators)} 个三级指标，"
               f"合计 {sum(i.weight for i in prof.indicators).normalize():f} 分。可运行 preval profile import {book}")
    return 0


@cli.command('import',
             arg('book', type=Path, help="评分档案工作簿（.xlsx）"),
             arg("--default", action="store_true", help="同时设为本机默认评分档案（preval new 不指定 --profile 时使用）"), group="profile")
def profile_import(book: Path, default: bool = False) -> int:
    """检查并导入评分档案工作簿，安装到本机的评分档案文件夹。"""
    from addin.rubric.install import install

    prof = _checked_rubric(book)
    path, kept = install(prof, default)
    echo(f"已导入 {prof.name}（{prof.title}）到 {path}" + ("，并设为默认评分档案" if default else "")
               + f"。用 preval new 新工作簿.xlsx --profile {prof.name} 生成工作簿")
    if kept is not None:
        echo(f"本机原有的同名评分档案已被替换，原文件保留为 {kept}；用它制作的工作簿仍按其中保存的档案评分（提示 V407）")
    return 0


def _tolerant_output() -> None:
    """A character the console cannot show (U+2212 "−" on a GBK console or redirect) is
    replaced, never the end of the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def runnable(path: object) -> str:
    """A file name as a next-step hint can be run as printed: "./-x.xlsx" (not an option),
    quoted when it holds a space (cmd.exe and sh both take double quotes)."""
    text = str(path)
    if text.startswith("-"):
        text = "./" + text
    return f'"{text}"' if any(ch.isspace() for ch in text) else text


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every user-facing error into its exit code. Our own
    errors (bad file, usage, engine: udfs.errors.PrevalError) are shown as they are; anything
    else is a bug (exit code BUG): one Chinese sentence naming the log file, the traceback in
    the log."""
    _tolerant_output()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        chosen = parse(build(cli, DESCRIPTION), args, version_text)
        if chosen is None:  # help or the version, as asked
            return 0
        if chosen == NOTHING_ASKED:  # the usage was printed: a usage error (the README's exit codes)
            return UNUSABLE
        func, kwargs = chosen
        result = func(**kwargs)
        if isinstance(result, int):
            return result
    except PrevalError as exc:
        echo(exc.show(), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        echo("已取消。", err=True)
        return 2
    except BrokenPipeError:  # `preval validate x | head`: the reader has what it wanted
        try:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # the interpreter flushes stdout at exit
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - anything unexpected is a bug: one sentence, the log
        from udfs.log import CLI_LOG, log_exception

        log = log_exception("preval " + " ".join(map(str, args)), CLI_LOG)
        echo(f"错误：程序内部出错（{type(exc).__name__}），未写入任何文件。详细信息已写入日志 {log}，"
                   "请将该文件发给维护人员。", err=True)
        return BUG
    return 0


# Commands whose path needs no numpy: openpyxl imports it whenever it is installed (only to
# recognise numpy numbers among cell values, which these commands never write), ~0.15 s of
# every run (docs/performance.md). batch (pandas) needs it.
WITHOUT_NUMPY = frozenset({"validate", "score", "finalize", "new", "report", "upgrade", "profiles", "profile"})


def run() -> int:
    """The process entry (console script and ``python -m addin.cli``): ``main`` plus what only a
    fresh process may do — keep numpy out where the command does not need it."""
    args = sys.argv[1:]
    if args and args[0] in WITHOUT_NUMPY and "numpy" not in sys.modules:
        _openpyxl_without_numpy()
    return main(args)


def _openpyxl_without_numpy() -> None:
    """openpyxl looks for numpy once, while openpyxl.compat.numbers is first imported: answer
    "not installed" to that one question, and to no other importer, so an import of numpy
    anywhere else (pandas in a command that turns out to need it) works as usual."""
    import importlib.abc

    class OnlyForOpenpyxl(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            asking = sys.modules.get("openpyxl.compat.numbers")
            if name == "numpy" and asking is not None and not hasattr(asking, "NUMPY"):  # it is importing
                raise ModuleNotFoundError("numpy is not used by this command", name="numpy")
            return None

    sys.meta_path.insert(0, OnlyForOpenpyxl())


if __name__ == "__main__":
    sys.exit(run())
