"""V1xx: one input cell at a time — present, the right type, plausible."""

from __future__ import annotations

from decimal import Decimal

from addin.case import Case
from addin.checks import ERROR, Problem, problem
from udfs.contract import BY_NAME, CHOICE, COUNT, MONEY, NAMES, POINTS, RATE, TEXT, YEAR
from udfs.errors import InputError
from udfs.inputs import Inputs, convert

YUAN_SUSPECT = Decimal(500000)  # 万元: 50亿元; above it a figure was most likely typed in 元


def expected_text(spec) -> str:
    if spec.kind == CHOICE:
        return "/".join(spec.choices)
    if spec.signed:
        return "金额（万元，可为负数）"
    return {MONEY: "不小于0的金额（万元）", COUNT: "不小于0的整数", RATE: "0%–100%的比率",
            YEAR: "四位年份", TEXT: "文字", POINTS: "0–100的分数"}[spec.kind]


def _one(name: str, raw: object, args: tuple[str, str, str], needed: bool = False) -> tuple[list[Problem], object]:
    """Problems of one cell, and its value when it can be used; ``needed``: an optional input
    the workbook's rubric scores on (项目预算 for a 项目资金执行率), required there."""
    spec = BY_NAME[name]
    want = expected_text(spec)
    if isinstance(raw, str) and raw.startswith("="):
        return [problem("V103", *args, f"{name}填的是公式，请改为数值本身", want, raw)], None
    try:
        value = convert(name, raw)
    except InputError as exc:
        if exc.text_number:
            return [problem("V111", *args, f"{name}：{exc.what}", want, raw)], None
        check = "V106" if spec.kind == YEAR else "V102"
        return [problem(check, *args, f"{name}应为{want}", want, raw)], None
    if value is None:  # an empty or blank cell
        # an amount a budget may not have (追加, 上年结转 …) counts 0 when blank, everywhere
        required = not spec.blank_is_zero and (spec.required or needed)
        return ([problem("V101", *args, f"请填写{name}（{spec.label}）", want, raw)] if required else []), None
    if spec.kind == CHOICE and value not in spec.choices:
        return [problem("V105", *args, f"{name}应从下拉列表选择", want, raw)], None
    if not isinstance(value, Decimal):  # text, a choice, a year: nothing more to check
        return [], raw
    if value < 0 and not spec.signed:
        return [problem("V104", *args, f"{name}不能为负数", want, raw)], None
    if spec.kind == RATE and Decimal(1) < value <= Decimal(100):
        return [problem("V107", *args, f"{name}填的是 {raw}，应为百分比 {raw}%（单元格中输入 {raw}% 或 {value / 100}）",
                        "0%–100%", raw)], None
    if spec.kind == COUNT and value != value.to_integral_value():
        return [problem("V110", *args, f"{name}应为整数", want, raw)], None
    found: list[Problem] = []
    if spec.kind == MONEY and value > YUAN_SUSPECT:
        found.append(problem("V108", *args, f"{name}为 {raw} 万元（{value / 10000:.2f} 亿元），是否按元填写了？",
                             "万元", raw))
    if name == "问卷份数" and value < 30:
        found.append(problem("V109", *args, f"问卷份数为 {raw} 份，少于评分标准要求的30份", "不少于30", raw))
    return found, raw


def check_inputs(case: Case, needed: frozenset[str] = frozenset()) -> tuple[list[Problem], Inputs | None]:
    """One problem per bad input cell; the typed Inputs when none is an 错误. ``needed``: the
    inputs the rubric scores on (an optional one becomes required)."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for name in NAMES:
        loc = case.inputs.get(name)
        if loc is None:
            continue
        found, value = _one(name, loc.value, (loc.sheet, loc.cell, name), name in needed)
        problems += found
        if value is not None:
            values[name] = value
    if any(p.severity == ERROR for p in problems):
        return problems, None
    return problems, Inputs.from_mapping(values)
