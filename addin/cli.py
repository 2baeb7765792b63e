"""The ``preval`` command. Exit codes: 0 ok, 1 validation 错误, 2 unusable file or usage.

Only this module prints; errors are ``PrevalError``s mapped to exit codes in ``main``.
The score path must stay light: no xlwings or pandas import here (design.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import PrevalError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="部门整体支出绩效评价：评分、校验与报告工具。")


def _profile(name: str | None):
    from udfs.profile import ProfileError, load_profile

    try:
        return load_profile(name)
    except ProfileError as exc:
        raise UsageError(str(exc), hint="用 preval profiles 查看可用的评分档案") from None


@app.command("demo")
def demo(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="评分档案名称"),
    out: Path = typer.Option(Path("out"), "--out", help="输出文件夹"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（score --json 格式）"),
) -> None:
    """计算参考案例（邵阳市信访局2022年度），打印评分表并写入 out/。"""
    from rich.console import Console

    from udfs import reference_case
    from udfs.engine import evaluate

    from .score_table import render
    from .scoring_json import evaluation_to_dict

    prof = _profile(profile)
    ev = evaluate(reference_case.inputs(), reference_case.findings(), prof)
    data = evaluation_to_dict(ev)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"reference-case-{prof.name}.json"
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入输出文件夹 {out}：{exc.strerror}", hint="换一个可写的文件夹（--out）") from None
    if as_json:
        typer.echo(text)
        return
    console = Console()
    render(ev, console)
    console.print(f"评分档案：{prof.name}（{prof.title}）")
    console.print(f"已写入 {target}")


@app.command("profiles")
def profiles() -> None:
    """列出可用的评分档案。"""
    from udfs.profile import available_profiles, load_profile

    for name in available_profiles():
        typer.echo(f"{name}\t{load_profile(name).title}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every user-facing error into its exit code."""
    try:
        result = app(args=argv, standalone_mode=False)
        if isinstance(result, int):
            return result
    except PrevalError as exc:
        typer.echo(exc.show(), err=True)
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("已取消。", err=True)
        return 2
    except Exception as exc:  # noqa: BLE001 - click's own errors, then anything unexpected
        # typer vendors click; its exceptions know how to show themselves and their code
        if hasattr(exc, "exit_code") and hasattr(exc, "show"):
            exc.show()
            return 2
        if type(exc).__name__ == "Exit":
            return int(getattr(exc, "exit_code", 0) or 0)
        typer.echo(f"错误：程序内部出错（{type(exc).__name__}）。请将此信息反馈给维护人员。", err=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
