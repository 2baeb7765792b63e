"""The ribbon's entry points, under the name the add-in's VBA calls
(``RunPython "import addin.ribbon; addin.ribbon.<action>()"`` in preval_ribbon.bas, one
action per button of customUI14.xml). Kept as this thin module so the VBA text never
changes when the code behind it moves; the work is in ``addin.excel.ribbon``.

If that cannot even be imported (a damaged installation), every button still answers with
one Chinese sentence: an exception escaping here would reach xlwings, which shows it as an
English traceback in a popup. Only the standard library is used for that path, since the
rest of preval may be what is broken.
"""

try:
    from addin.excel.ribbon import (
        finalize,
        help,  # noqa: A004 - the button is 帮助
        import_final_accounts,
        report,
        score,
        self_report,
        settings,
        validate,
    )
except Exception:  # noqa: BLE001 - whatever broke the import, the clerk gets one sentence
    import os
    import sys
    import traceback
    from datetime import datetime
    from pathlib import Path

    _REASON = traceback.format_exc()
    _MESSAGE = ("preval 没有正确安装，无法执行此操作，未做任何修改。请关闭 Excel 后重新运行 preval 安装程序"
                "（install.bat）；如仍不行，请把日志文件 {log} 发给信息管理员。")

    def _log() -> Path:
        # the same file as udfs.log writes (not imported: it may be part of what is broken)
        if os.environ.get("PREVAL_LOG"):
            return Path(os.environ["PREVAL_LOG"])
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "preval" / "udf.log"

    def _unavailable(book=None) -> None:
        log = _log()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{datetime.now().isoformat(timespec='seconds')} 功能区：无法载入 addin.excel.ribbon\n{_REASON}\n")
        except OSError:
            pass
        message = _MESSAGE.format(log=log)
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.user32.MessageBoxW(0, message, "绩效评价", 0x30)  # MB_ICONWARNING
        else:
            print(message, file=sys.stderr)

    finalize = help = import_final_accounts = report = score = self_report = settings = validate = _unavailable  # noqa: A001

__all__ = ["finalize", "help", "import_final_accounts", "report", "score", "self_report", "settings", "validate"]
