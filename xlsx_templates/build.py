"""Write the standard workbook 部门整体支出绩效评价.xlsx (the builder is addin.workbook.build).

Run: python -m xlsx_templates.build [OUT.xlsx] [--profile NAME]
Without OUT it refreshes the committed copy next to this file, which the tests compare
with a fresh build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from addin.workbook.build import build_workbook
from addin.workbook.layout import FILE_NAME

COMMITTED = Path(__file__).with_name(FILE_NAME)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    profile = None
    if "--profile" in args:
        i = args.index("--profile")
        profile = args[i + 1]
        del args[i:i + 2]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)  # the "Run:" line
        return 2
    out = Path(args[0]) if args else COMMITTED
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(profile).save(out)
    print(f"已生成 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
