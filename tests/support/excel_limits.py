"""What a formula the workbook carries may use so that Excel 2010, WPS 2019 and LibreOffice 7
all compute it: the functions they share, and how many arguments a call may have."""

from __future__ import annotations

import re

# what Excel 2010, WPS 2019 and LibreOffice 7 all have, and the workbook's live cells may use
SHARED_FUNCTIONS = {"IF", "ISERROR", "ISLOGICAL", "ISTEXT", "ISNUMBER", "AND", "OR", "NOT", "LEN", "TRIM", "SUBSTITUTE",
                    "CHAR", "LEFT", "RIGHT", "MID", "FIND", "LOWER", "ABS", "INT", "TEXT", "SUMPRODUCT", "ROUND", "N", "SUM", "COUNT",
                    "EXACT", "CHOOSE", "MIN", "ERROR.TYPE", "VALUE"}


def most_arguments(formula: str) -> int:
    """The most arguments any one function call of ``formula`` has (strings and {arrays} skipped)."""
    text = re.sub(r'"[^"]*"', '""', formula)
    text = re.sub(r"\{[^}]*\}", "0", text)
    stack, most = [], 0
    for char in text:
        if char == "(":
            stack.append(1)
        elif char == ")":
            most = max(most, stack.pop())
        elif char == "," and stack:
            stack[-1] += 1
    return most
