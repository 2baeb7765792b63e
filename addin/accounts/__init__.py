"""``preval import``: a department's 部门决算 (the published 公开表 as PDF, web page or
workbook, or the 决算 software's export) read into the evaluation workbook's inputs.

read (pdf.py, sheets.py, web.py: a file → ``Table``s and text) → recognise (catalogue.py: a
table by its title, never its position) → take (figures.py: one input from one row and column,
with where it came from; narrative.py: the standard sentences) → check the 决算's own
arithmetic (identities.py) → write into a copy of the workbook (into_workbook.py).
"""
