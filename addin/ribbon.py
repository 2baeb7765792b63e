"""The ribbon's entry points, under the name the add-in's VBA calls
(``RunPython "import addin.ribbon; addin.ribbon.<action>()"`` in preval_ribbon.bas, one
action per button of customUI14.xml). Kept as this thin module so the VBA text never
changes when the code behind it moves; the work is in ``addin.excel.ribbon``."""

from addin.excel.ribbon import finalize, help, report, score, settings, validate  # noqa: A004 - the button is 帮助

__all__ = ["finalize", "help", "report", "score", "settings", "validate"]
