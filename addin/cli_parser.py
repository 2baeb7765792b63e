"""The command line's grammar, in Chinese all the way through: argparse from the
standard library (no typer/click/pydantic at start-up), with our own help layout, usage line
and error sentences. A command is a function registered with its arguments; ``parse`` turns
argv into (function, keyword arguments) or raises ``UsageError`` with one Chinese sentence.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from addin.errors import UsageError

PROG = "preval"
# what an argument is called in usage lines (argparse would print its English dest: BOOK, OUT)
METAVARS = {"book": "工作簿", "out": "输出文件", "folder": "文件夹", "profile": "档案名称", "base": "档案名称",
            "workers": "进程数", "interpreter": "解释器", "xlstart": "文件夹", "kind": "报告类型"}


@dataclass
class Command:
    name: str
    func: Callable
    args: tuple[tuple[tuple[str, ...], dict], ...]
    group: str = ""  # "profile": a subcommand of `preval profile`

    @property
    def text(self) -> str:
        """The help, the function's docstring (click's way): its first line in the command
        list, all of it under `preval X --help`."""
        return inspect.getdoc(self.func) or ""


@dataclass
class Registry:
    commands: list[Command] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # group name -> help

    def command(self, name: str, *args: tuple[tuple[str, ...], dict], group: str = ""):
        def register(func: Callable) -> Callable:
            if not inspect.getdoc(func):
                raise TypeError(f"command {name}: its docstring is its help")
            self.commands.append(Command(name, func, args, group))
            return func
        return register


def arg(*flags: str, **options) -> tuple[tuple[str, ...], dict]:
    """One argument as argparse takes it: arg("book", help=…), arg("-o", "--output", dest="out").
    A help text is plain text: argparse %-formats it, so %LOCALAPPDATA% is escaped here (it made
    `preval build-addin --help` end in 程序内部出错（ValueError））."""
    if "help" in options:
        options["help"] = options["help"].replace("%", "%%")
    return flags, options


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


# argparse's own error sentences -> ours (the only English it would otherwise print)
_ERRORS: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (re.compile(r"the following arguments are required: (.*)"), lambda m: f"缺少参数：{_names(m[1])}"),
    (re.compile(r"unrecognized arguments: (.*)"), lambda m: f"无法识别的参数：{m[1]}"),
    (re.compile(r"argument (\S+): expected one argument"), lambda m: f"{_names(m[1])} 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"), lambda m: f"{_names(m[1])} 的值“{m[3]}”不是有效的数字"),
    (re.compile(r"argument (\S+): ignored explicit argument '(.*)'"), lambda m: f"{_names(m[1])} 不接受值“{m[2]}”"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), lambda m: f"选项 {m[1]} 不明确，可能是：{m[2]}"),
)


def _names(text: str) -> str:
    return text.replace("/", " 或 ")


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)  # "--out" must not silently mean "--output"
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        for pattern, say in _ERRORS:
            m = pattern.search(message)
            if m:
                raise UsageError(say(m), hint=f"运行 {self.prog} --help 查看用法")
        m = re.search(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            choices = re.findall(r"'([^']*)'", m[3])
            close = difflib.get_close_matches(m[2], choices, n=1)
            guess = f"，您是否要用 {close[0]}？" if close else ""
            raise UsageError(f"没有名为 {m[2]} 的命令{guess}", hint=f"可用的命令：{'、'.join(choices)}")
        raise UsageError(f"命令行有误：{message}", hint=f"运行 {self.prog} --help 查看用法")


def build(registry: Registry, description: str) -> ChineseParser:
    parser = ChineseParser(prog=PROG, description=description)
    # listed for --help; parse() prints it before parsing (its text needs imports --help does not)
    parser.add_argument("--version", action="store_true", dest="_version", help="显示 preval、xlwings 和 Python 的版本")
    subparsers = parser.add_subparsers(title="命令", metavar="命令", dest="_command", parser_class=ChineseParser)
    groups: dict[str, argparse._SubParsersAction] = {}
    for name, text in registry.groups.items():
        group = subparsers.add_parser(name, help=text, description=text)
        groups[name] = group.add_subparsers(title="命令", metavar="命令", dest="_subcommand", parser_class=ChineseParser)
    for cmd in registry.commands:
        target = groups[cmd.group] if cmd.group else subparsers
        summary = cmd.text.split("\n")[0]
        sub = target.add_parser(cmd.name, help=summary, description=cmd.text)
        for flags, options in cmd.args:
            if options.get("action") != "store_true" and "metavar" not in options:
                long = next((f for f in flags if f.startswith("--") or not f.startswith("-")), flags[0])
                name = options.get("dest") or long.lstrip("-").replace("-", "_")
                options = {**options, "metavar": METAVARS.get(name, name)}
            sub.add_argument(*flags, **options)
        sub.set_defaults(_func=cmd.func)
    return parser


NOTHING_ASKED = "nothing asked"  # `preval` or `preval profile` alone: the usage was printed, exit 2


def parse(parser: ChineseParser, argv: list[str], version: Callable[[], str]):
    """(function, keyword arguments); None when help or the version was printed as asked;
    NOTHING_ASKED when no command (or no subcommand of a group) was given."""
    if not argv:
        parser.print_help()
        return NOTHING_ASKED
    if argv[0] == "--version":
        print(version())
        return None
    try:
        namespace = parser.parse_args(argv)
    except SystemExit as exc:  # --help printed itself
        if exc.code in (0, None):
            return None
        raise
    func = getattr(namespace, "_func", None)
    if func is None:  # `preval profile` without a subcommand
        chosen = getattr(namespace, "_command", None)
        sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        if sub is not None and chosen in sub.choices:
            sub.choices[chosen].print_help()
        else:
            parser.print_help()
        return NOTHING_ASKED
    kwargs = {k: v for k, v in vars(namespace).items() if not k.startswith("_")}
    return func, kwargs


def echo(text: str = "", err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)
