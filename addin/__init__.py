"""preval workbook automation: CLI, demo, and (later) workbook I/O, reports and the add-in."""
