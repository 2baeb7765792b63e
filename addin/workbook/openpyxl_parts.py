"""Pieces of openpyxl that the fast read/write path (``package_book``, ``sheet_xml``) and the
formula comparison need, without importing the openpyxl package: its ``__init__`` imports
the workbook model, the writer, drawing and Pillow (~0.2 s, and numpy when installed) on
every ``preval validate`` and ``preval score``, which read and write the XML themselves.

- ``standalone(path)``: an openpyxl module whose own imports are the standard library only
  (``formula/tokenizer.py``, ``utils/datetime.py``), loaded from its file; when openpyxl is
  already imported, its own module.
- The number formats openpyxl's ``styles/numbers.py`` uses to tell a date cell (that module
  imports openpyxl's descriptors, so it cannot be loaded alone): the built-in codes and the
  two tests, as openpyxl 3.1 has them. tests/test_openpyxl_parts.py compares them with
  openpyxl's on every built-in code and on custom ones.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType


def standalone(path: str) -> ModuleType:
    """openpyxl's module at ``path`` (relative to the package, e.g. "formula/tokenizer.py")."""
    name = "openpyxl." + path.removesuffix(".py").replace("/", ".")
    if "openpyxl" in sys.modules:
        return importlib.import_module(name)
    loaded = sys.modules.get(f"preval_{name}")
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("openpyxl")  # finds the package without importing it
    assert package is not None and package.submodule_search_locations
    spec = importlib.util.spec_from_file_location(f"preval_{name}", Path(package.submodule_search_locations[0]) / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[f"preval_{name}"] = module
    return module


BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, [Red], [$-804] …
_DATE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def builtin_format_code(index: int) -> str | None:
    return BUILTIN_FORMATS.get(index)


def is_date_format(fmt: str | None) -> bool:
    """A number format that shows a date or a time (only its first section counts)."""
    return fmt is not None and _DATE.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    """A number format that shows a time span ([h]:mm …)."""
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None
