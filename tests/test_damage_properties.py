"""Random damage to a filled workbook (issue 5): a deleted sheet or name, a merged input
cell, a value of the wrong type, a foreign version or profile, a cut-off file. ``preval
score`` exits 1 or 2 with a Chinese message and no traceback; it writes nothing and the
original file stays byte-identical (so its input cells are unchanged)."""

import contextlib
import datetime
import io
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.cli import main
from addin.workbook import layout as L
from tests.support.workbooks import reference_bytes
from udfs.contract import BY_NAME, CHOICE, NAMES, TEXT

FILLED = reference_bytes()
REQUIRED = [n for n in NAMES if BY_NAME[n].required]
NUMERIC = [n for n in REQUIRED if BY_NAME[n].kind not in (TEXT, CHOICE)]
# what lands in a numeric input when a user pastes from elsewhere; none is a usable number
WRONG = [datetime.datetime(2022, 12, 31), True, "#N/A", "=SUM(1,2)", "两千一百六十万", "2160.62万元", "—"]


def _cell(wb, name):
    (sheet, ref), = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")]


def delete_sheet(wb, sheet):
    del wb[sheet]


def delete_name(wb, name):
    del wb.defined_names[name]


def merge_input(wb, name, down):
    cell = _cell(wb, name)
    # merging with the cell above makes the input a hidden part of the merge; below/right keeps its value
    if down and cell.row > 1:
        cell.parent.merge_cells(start_row=cell.row - 1, start_column=cell.column,
                                end_row=cell.row, end_column=cell.column)
    else:
        cell.parent.merge_cells(start_row=cell.row, start_column=cell.column,
                                end_row=cell.row, end_column=cell.column + 1)


def wrong_type(wb, name, value):
    _cell(wb, name).value = value


def foreign_version(wb, text):
    _cell(wb, L.VERSION_NAME).value = text


def foreign_profile(wb, text):
    _cell(wb, L.PROFILE_NAME).value = text


damage = st.one_of(
    # 报告内容 holds only optional texts (a 0.5 workbook has none): without it a workbook scores
    st.tuples(st.just(delete_sheet), st.sampled_from(L.REQUIRED_SHEETS)),
    st.tuples(st.just(delete_name), st.sampled_from(REQUIRED + [L.VERSION_NAME, L.PROFILE_NAME])),
    st.tuples(st.just(merge_input), st.sampled_from(REQUIRED), st.booleans()),
    st.tuples(st.just(wrong_type), st.sampled_from(NUMERIC), st.sampled_from(WRONG)),
    st.tuples(st.just(foreign_version), st.sampled_from(["9.0", "", "v1", "1.0"])),
    st.tuples(st.just(foreign_profile), st.sampled_from(["beijing-2030", "../../etc/passwd", "  x "])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(damage, min_size=1, max_size=3), st.booleans())
def test_damaged_workbooks_exit_1_or_2_and_nothing_changes(damages, cut_off):
    wb = openpyxl.load_workbook(io.BytesIO(FILLED))
    for fn, *args in damages:
        if fn is delete_sheet and args[0] not in wb.sheetnames:
            continue
        if fn in (wrong_type, merge_input, foreign_version, foreign_profile):
            name = args[0] if fn in (wrong_type, merge_input) else \
                (L.VERSION_NAME if fn is foreign_version else L.PROFILE_NAME)
            target = wb.defined_names.get(name)
            if target is None or next(iter(target.destinations))[0] not in wb.sheetnames:
                continue  # an earlier damage removed the cell
        if fn is delete_name and args[0] not in wb.defined_names:
            continue
        fn(wb, *args)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if cut_off:
        data = data[: len(data) // 2]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "受损.xlsx"
        path.write_bytes(data)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["score", str(path)])
        text = err.getvalue()
        assert code in (1, 2), (damages, text)
        assert "Traceback" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert path.read_bytes() == data
        assert [p.name for p in Path(tmp).iterdir()] == [path.name]


FLIPS = st.lists(st.tuples(st.integers(0, 200), st.floats(0, 1, allow_nan=False), st.integers(1, 255)),
                 min_size=1, max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FLIPS)
def test_bytes_flipped_inside_the_compressed_data_never_end_in_an_internal_error(flips):
    # issue 15: a damaged deflate stream (zlib.error) was the commonest "程序内部出错"
    from tests.support.damage import flip

    data = flip(FILLED, flips)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "受损.xlsx"
        path.write_bytes(data)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["score", str(path)])
        text = err.getvalue()
        assert code in (0, 1, 2), (flips, text)
        assert "程序内部出错" not in text and "Traceback" not in text, (flips, text)
        if code:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert path.read_bytes() == data
        written = sorted(p.name for p in Path(tmp).iterdir())
        assert written == sorted([path.name] + (["受损_评分.xlsx"] if code == 0 else []))
