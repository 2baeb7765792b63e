"""Formulas compared by meaning, not by text.

Real applications rewrite a formula's text when they save a workbook, without changing
what it computes (design.md, "The workbook lives in real applications"):

- LibreOffice writes a function it does not know in lower case (``preval_total(``) and
  drops the quotes around sheet names (``指标计算!$P$38``);
- Excel does not quote a Chinese sheet name either, and stores a function of a loaded
  add-in as ``[1]!PREVAL_SCORE(`` with an externalLink part naming the add-in file
  (relative to XLSTART, or an absolute path), or as ``_xludf.PREVAL_SCORE(`` when the
  function was not bound; through COM, an unbound one reads ``'C:\\…\\preval.xlam'!PREVAL_SCORE(``;
- either may add or drop spaces, write ``_xlfn.`` before newer functions, or spell a number
  or a cell reference in another case.

``canonical`` reduces a formula to tokens in which all of these agree; two formulas mean the
same when their canonical forms are equal. Anything else — another function, another
reference, a constant — stays different.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from addin.workbook.openpyxl_parts import standalone

_tokenizer = standalone("formula/tokenizer.py")  # not the openpyxl package: ~0.2 s of imports
Token, Tokenizer, TokenizerError = _tokenizer.Token, _tokenizer.Tokenizer, _tokenizer.TokenizerError

ADDIN_FILE = "preval.xlam"
_STORAGE_PREFIXES = ("_xludf.", "_xlfn.", "_xlws.")
_LINK_INDEX = re.compile(r"^\[(\d+)\]$")

Canonical = tuple[tuple[str, ...], ...]


def _unquote(sheet: str) -> str:
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        return sheet[1:-1].replace("''", "'")
    return sheet


def _is_addin(prefix: str, links: Sequence[str]) -> bool:
    """``[n]`` (an externalLink of the workbook) or a quoted path, naming our add-in file."""
    index = _LINK_INDEX.match(prefix)
    if index:
        n = int(index.group(1))
        target = links[n - 1] if 0 < n <= len(links) else ""
    else:
        target = _unquote(prefix)
    name = re.split(r"[\\/]", target.strip())[-1]
    return name.lower() == ADDIN_FILE


def _function(name: str, links: Sequence[str]) -> str:
    prefix, bang, bare = name.rpartition("!")
    if bang and _is_addin(prefix, links):
        name = bare
    for storage in _STORAGE_PREFIXES:
        if name.lower().startswith(storage):
            name = name[len(storage):]
    return name.upper()


def _operand(token) -> tuple[str, ...]:  # an openpyxl tokenizer Token
    value = token.value
    if token.subtype == Token.TEXT:
        return ("text", value)
    if token.subtype == Token.NUMBER:
        try:
            return ("number", str(Decimal(value).normalize()))
        except InvalidOperation:
            return ("number", value)
    if token.subtype == Token.RANGE and "!" in value:
        sheet, _, ref = value.rpartition("!")
        return ("range", _unquote(sheet), ref.upper())
    return (token.subtype.lower(), value.upper())  # a reference, a defined name, TRUE, #N/A


def canonical(formula: str, links: Sequence[str] = ()) -> Canonical:
    """The tokens of ``formula`` ("=…") as every application's spelling of it agrees.
    ``links``: the workbook's externalLink targets in order (``[1]`` is the first)."""
    out: list[tuple[str, ...]] = []
    for token in Tokenizer(formula).items:
        if token.type == Token.WSPACE:
            continue
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            out.append(("call", _function(token.value[:-1], links)))
        elif token.type == Token.OPERAND:
            out.append(_operand(token))
        else:
            out.append((token.type, token.value))
    return tuple(out)


def same_formula(found: object, expected: str, links: Sequence[str] = (),
                 meaning: Canonical | None = None) -> bool:
    """Whether the cell content ``found`` is a formula meaning the same as ``expected``
    (``meaning``: ``canonical(expected)``, when the caller has it already)."""
    if not (isinstance(found, str) and found.startswith("=")):
        return False
    try:
        return canonical(found, links) == (meaning if meaning is not None else canonical(expected))
    except TokenizerError:
        return False
