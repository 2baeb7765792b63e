"""preval indicator formulas: pure rates, the rubric engine, and the PREVAL_* cell functions.

``udfs.functions`` is the only module that imports xlwings; everything else is pure Python
so the CLI stays fast and the engine is testable without Excel.
"""
