"""What the 绩效评价 ribbon buttons run (through RunPython, see addin/excel/vba/preval_ribbon.bas).

Each entry point takes the calling workbook with ``xw.Book.caller()`` — never a global Book
or App — and runs the same engine as the CLI through ``XlwingsBook``. The status bar shows
progress and is reset in ``finally``; any error becomes one Chinese message box, and an
unexpected one also goes to the log file with its traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from addin.errors import PrevalError

TITLE = "绩效评价"


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def _log(action: str) -> Path:
    from udfs.log import log_exception

    return log_exception(f"功能区 {action}")


def _run(action: str, work, book=None) -> None:
    try:
        # Inside the guard too: xlwings' RunPython would show an uncaught error as a traceback.
        book = book if book is not None else _caller()
        app = book.app
        from addin.books.xlwings_book import XlwingsBook

        xbook = XlwingsBook(book)
    except Exception:  # noqa: BLE001 - no traceback dialog for a finance clerk
        _fallback_alert(f"{action}时无法连接到 Excel 工作簿，未做任何修改。详细信息已写入日志：{_log(action)}")
        return
    screen, calculation = app.screen_updating, app.calculation
    try:
        app.status_bar = f"绩效评价：正在{action}……"
        app.screen_updating, app.calculation = False, "manual"  # one repaint and one recalculation, at the end
        message, ok = work(book, xbook)
        app.alert(message, title=TITLE, mode="info" if ok else "critical")
    except PrevalError as exc:
        app.alert(exc.show(), title=TITLE, mode="critical")
    except Exception:  # noqa: BLE001 - no traceback dialog for a finance clerk
        log = _log(action)
        app.alert(f"{action}时程序内部出错，未修改任何输入。详细信息已写入日志：{log}", title=TITLE, mode="critical")
    finally:
        _quietly(xbook.close, action)  # re-protects the sheets
        _quietly(lambda: setattr(app, "calculation", calculation), action)
        _quietly(lambda: setattr(app, "screen_updating", screen), action)
        _quietly(lambda: setattr(app, "status_bar", False), action)


def _quietly(step, action: str) -> None:
    """Clean-up must not turn a finished job into a traceback dialog: log and go on."""
    try:
        step()
    except Exception:  # noqa: BLE001
        _log(action)


def _fallback_alert(message: str) -> None:
    """A message box without a workbook to hang it on (Windows only; elsewhere the log)."""
    try:
        import win32api
        import win32con

        win32api.MessageBox(0, message, TITLE, win32con.MB_OK | win32con.MB_ICONWARNING)
    except Exception:  # noqa: BLE001 - nothing more can be shown
        pass


def _summary(problems) -> str:
    from addin.checks import errors

    n_errors = len(errors(problems))
    return f"{n_errors} 个错误，{len(problems) - n_errors} 个提示"


def _validate(book, xbook):
    from addin.fill import fill_checks
    from addin.scoring import assess

    result = assess(xbook)
    fill_checks(xbook, result.problems)
    book.sheets["校验结果"].activate()
    return (f"校验完成：{_summary(result.problems)}。详见“校验结果”表（点击位置可跳到单元格），"
            f"有问题的单元格已标红或标橙。", not result.errors)


def _score(book, xbook, when: datetime | None = None):
    from addin.fill import fill_checks
    from addin.scoring import assess, fill_result, refuse_final

    book.app.status_bar = "绩效评价：正在校验……"
    result = assess(xbook)
    refuse_final(result, book.name)
    if result.evaluation is None:
        fill_checks(xbook, result.problems)
        book.sheets["校验结果"].activate()
        return (f"发现{_summary(result.problems)}，未计算评分。请按“校验结果”表改正标红的单元格后再点“计算评分”。",
                False)
    book.app.status_bar = "绩效评价：正在填写评分表、评分说明和汇总……"
    fill_result(xbook, result, when)
    ev = result.evaluation
    book.sheets["评分表"].activate()
    hints = f"；另有 {len(result.problems)} 个提示，见“校验结果”表" if result.problems else ""
    return f"计算完成：总分 {ev.total} 分，评价等级“{ev.grade}”{hints}。", True


def _beside(book, tag: str, suffix: str | None = None) -> Path:
    from addin.scoring import beside

    full = Path(book.fullname)
    if not full.parent.is_dir():
        raise PrevalError("工作簿尚未保存，无法确定输出位置", hint="先保存工作簿（.xlsx），再点此按钮")
    return beside(full, tag, suffix)


def _report(book, xbook, kind: str = "评价"):
    from addin.report.export import KINDS, pending_sentence, write_for
    from addin.scoring import assess

    result = assess(xbook)
    if result.evaluation is None:
        return f"发现{_summary(result.problems)}，未生成报告。请先点“校验”并改正。", False
    out, pending = write_for(result, _beside(book, KINDS[kind], ".docx"), Path(book.fullname), kind)
    return f"已生成{kind}报告：{out}" + (f"。{pending_sentence(pending)}" if pending else ""), True


def _self_report(book, xbook):
    return _report(book, xbook, "自评")


def _finalize(book, xbook):
    from addin.finalize import finalize_file

    out = _beside(book, "_定稿", ".xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "当前.xlsx"
        book.api.SaveCopyAs(str(copy))  # what the user sees now, saved or not
        result, written = finalize_file(copy, out)
    if result.evaluation is None:
        return f"发现{_summary(result.problems)}，未导出定稿。请先点“校验”并改正。", False
    return f"已导出定稿（不含公式）：{written}", True


FINAL_ACCOUNTS_FILTER = "部门决算 (*.pdf;*.html;*.htm;*.xlsx;*.xls),*.pdf;*.html;*.htm;*.xlsx;*.xls"


def _import_final_accounts(book, xbook):
    """导入决算: the files chosen in Excel's own file dialog, imported into a copy of the workbook
    as it is on screen (``…_导入.xlsx`` beside it), which is then opened; the open workbook is not
    changed, as `preval import --into` leaves the clerk's file alone."""
    from addin.accounts.into_workbook import write
    from addin.accounts.take import take

    chosen = book.app.api.GetOpenFilename(FINAL_ACCOUNTS_FILTER, 1, "选择部门决算文件（可多选）", None, True)
    if not chosen:  # 取消: False
        return "未选择文件，未做任何修改。", True
    files = [Path(p) for p in (chosen if isinstance(chosen, (list, tuple)) else [chosen])]
    out = _beside(book, "_导入", ".xlsx")
    book.app.status_bar = "绩效评价：正在读取决算……"
    taken = take(files)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "当前.xlsx"
        book.api.SaveCopyAs(str(copy))  # what the user sees now, saved or not
        written = write(taken.figures, copy, out, force=False)
    book.app.books.open(str(written.path))
    lines = [f"已从决算导入 {len(written.imported)} 项，写入并打开了 {written.path.name}（原工作簿未改动）；"
             "每个导入的单元格都有批注说明出处。"]
    if written.kept:
        lines.append("工作簿中已填写、与决算不同而未覆盖：" + "、".join(f.key for f, _ in written.kept)
                     + "（要用决算的数值，请用命令 preval import --force）。")
    disagreements = [p for p in taken.problems if p.severity != "提示"]
    if disagreements:
        lines.append(f"决算核对发现 {len(disagreements)} 处不符或无法读取，例如：{disagreements[0].message}。")
    if written.remaining:
        lines.append("还需手工填写：" + "、".join(written.remaining) + "。")
    return "\n".join(lines), not disagreements


def _settings(book, xbook):
    from importlib.metadata import version

    from udfs.log import log_path

    return (f"preval {version('preval')}，xlwings {version('xlwings')}\nPython：{sys.executable}\n"
            f"日志：{log_path()}"), True


def _help(book, xbook):
    from addin.checks import catalogue_markdown
    from udfs.log import log_path

    book.sheets["填表说明"].activate()
    # The rules as this version checks them, beside the log: docs/ is not installed.
    rules = log_path().parent / "校验规则.txt"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text(catalogue_markdown(), encoding="utf-8-sig")  # BOM: Notepad shows Chinese
    if hasattr(os, "startfile"):
        os.startfile(rules)  # Windows: open it in the text editor
    return f"填写说明见“填表说明”表。全部校验规则（编号、级别、说明）已写入并打开：{rules}", True


def validate(book=None) -> None:
    _run("校验", _validate, book)


def score(book=None) -> None:
    _run("计算评分", _score, book)


def report(book=None) -> None:
    _run("生成报告", _report, book)


def self_report(book=None) -> None:
    _run("生成自评报告", _self_report, book)


def finalize(book=None) -> None:
    _run("导出定稿", _finalize, book)


def import_final_accounts(book=None) -> None:
    _run("导入决算", _import_final_accounts, book)


def settings(book=None) -> None:
    _run("查看设置", _settings, book)


def help(book=None) -> None:  # noqa: A001 - the button is 帮助
    _run("打开帮助", _help, book)
