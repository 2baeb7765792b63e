"""The built add-in's VBA read by a grammar: the ANTLR grammar of VBA after MS-VBAL
(antlr4-vba, a parser generated from Beakerboy's vba.g4), for each set of conditional
compilation constants a clerk's Excel has (issue 27: Win64/VBA7, Win32/VBA7, VBA6).

The module text is what oletools extracts from the built file, then:
- conditional compilation is resolved here (``compiled``): VBA's preprocessor runs before the
  parser, and the grammar parses one branch, not the directives;
- whole-line comments become empty lines: comments are not syntax, and the parser's time grows
  with each run of comment lines (16 lines cost 2 s, xlwings' licence 9 s). A comment line that
  ends in " _" continues into the next one in VBA; blanking it can only make the next line be
  parsed as code, never hide an error;
- the VBA editor's attributes that MS-VBAL's module headers do not list (a document module's
  VB_Base and VB_TemplateDerived, a class's VB_Description, a member's "Attribute
  Item.VB_UserMemId") are left out, and a class module gets the export header (VERSION 1.0
  CLASS … END) the grammar's class file starts with. Errors' line numbers are the prepared
  text's.
"""

from __future__ import annotations

import re

from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from antlr4_vba.vbaLexer import vbaLexer
from antlr4_vba.vbaParser import vbaParser

# What a clerk's Excel defines (Microsoft's "Compiler constants"): 64-bit Office 2010 and
# later; 32-bit Office 2010 and later; Office 2007 and older (VBA 6). Win32 is true on both
# Windows Excels; Mac is false.
DEFINES = {
    "Win64/VBA7": {"VBA7": True, "Win64": True, "Win32": True, "Win16": False, "Mac": False, "VBA6": True},
    "Win32/VBA7": {"VBA7": True, "Win64": False, "Win32": True, "Win16": False, "Mac": False, "VBA6": True},
    "VBA6": {"VBA7": False, "Win64": False, "Win32": True, "Win16": False, "Mac": False, "VBA6": True},
}

_DIRECTIVE = re.compile(r"^\s*#(If|ElseIf|Else|End\s+If|Const)\b(.*)$", re.I)
_TOKEN = re.compile(r'"[^"]*"|>=|<=|<>|[=<>()]|\d+|\w+|\S')
_CLASS_HEADER = ["VERSION 1.0 CLASS", "BEGIN", "  MultiUse = -1  'True", "END"]
_OUTSIDE_MS_VBAL = re.compile(r"^Attribute\s+(VB_Base|VB_TemplateDerived|VB_Description|\w+\.VB_\w+)\b", re.I)


def _code(rest: str) -> str:
    """A directive's expression without its trailing Then and comment."""
    rest = re.sub(r"'.*$", "", re.sub(r'"[^"]*"', lambda m: m.group(0).replace("'", "\0"), rest))
    rest = re.sub(r"\bThen\s*$", "", rest.strip(), flags=re.I)
    return rest.replace("\0", "'").strip()


def _value(expression: str, env: dict[str, object]) -> object:
    """A conditional-compilation expression (constants, strings, numbers, = <> < > <= >=, And,
    Or, Not, parentheses): undefined constants are 0 (Empty), as in VBA."""
    out = []
    for token in _TOKEN.findall(expression):
        word = token.lower()
        if word in ("and", "or", "not"):
            out.append(word)
        elif token in ("=", "<>"):
            out.append({"=": "==", "<>": "!="}[token])
        elif token in (">=", "<=", "<", ">", "(", ")") or token.isdigit() or token.startswith('"'):
            out.append(token)
        elif re.fullmatch(r"[A-Za-z_]\w*", token):
            out.append(repr(env.get(token, 0)))
        else:
            raise ValueError(f"not a conditional-compilation expression: {expression!r}")
    return eval(" ".join(out), {"__builtins__": {}})  # the tokens above: literals and operators only


def compiled(text: str, defines: dict[str, object]) -> str:
    """``text`` with the branches ``defines`` do not take, and every directive line, empty."""
    env: dict[str, object] = dict(defines)
    stack: list[list[bool]] = []  # [this branch is taken, some branch of this #If was taken]
    lines = []
    for line in text.splitlines():
        m = _DIRECTIVE.match(line)
        active = all(taken for taken, _ in stack)
        if not m:
            lines.append(line if active else "")
            continue
        kind, rest = re.sub(r"\s+", " ", m.group(1)).title(), _code(m.group(2))
        if kind == "Const":
            if active:
                name, value = rest.split("=", 1)
                env[name.strip()] = _value(value, env)
        elif kind == "If":
            taken = bool(_value(rest, env))
            stack.append([taken, taken])
        elif kind == "Elseif":
            top = stack[-1]
            top[0] = not top[1] and bool(_value(rest, env))
            top[1] = top[1] or top[0]
        elif kind == "Else":
            top = stack[-1]
            top[0], top[1] = not top[1], True
        else:
            stack.pop()
        lines.append("")
    if stack:
        raise ValueError("#If without #End If")
    return "\r\n".join(lines) + "\r\n"


def prepared(text: str) -> str:
    """An extracted module as the grammar reads it (see the module docstring)."""
    lines = text.splitlines()
    document = any(re.match(r"^Attribute\s+VB_(Base|GlobalNameSpace)\b", line, re.I) for line in lines)
    kept = [line for line in lines if not _OUTSIDE_MS_VBAL.match(line)]
    kept = ["" if line.lstrip().startswith("'") else line for line in kept]
    return "\r\n".join((_CLASS_HEADER if document else []) + kept) + "\r\n"


class _Errors(ErrorListener):
    def __init__(self):
        self.found: list[tuple[int, int, str]] = []

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # ANTLR calls it by this name
        self.found.append((line, column, msg))


def syntax_errors(text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every error the lexer and the parser report on ``text``."""
    errors = _Errors()
    lexer = vbaLexer(InputStream(text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(errors)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    parser.startRule()
    return errors.found
