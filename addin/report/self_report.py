"""The 自评报告 every department writes each year (preval report --kind 自评), in the structure
of the self-evaluation seeds (hengyang-county-2023, shaodong-2022): 基本情况, 预算支出情况,
部门整体支出绩效情况 with the self-assessed score, 绩效指标完成情况, 存在的问题, 改进措施, 附件.
The same figures, helpers and annexes as the third-party report, in the department's voice:
本单位, every text it typed, its own 自评总分 beside the computed one; no evaluator's words
(经查, 评价组, 见评价资料第 页)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from addin.checks import Problem
from addin.checks.projects import Project
from addin.report.content import (
    ReportContent,
    ScoreRow,
    Section,
    _advice,
    _indicator_lines,
    _level_weights,
    _notes,
    _problems,
    _rubric_text,
    _spending,
    fmt_num,
    given,
    named_first,
    text_or_todo,
)
from udfs.engine import NOTHING_FOUND, UNNAMED_DEDUCTION, Evaluation
from udfs.inputs import Inputs
from udfs.money import quantize
from udfs.profile import Profile

SELF = "本单位"


def _voice(text: str) -> str:
    """An engine basis in the department's words: it found nothing, it deducted."""
    return text.replace(NOTHING_FOUND, "未发现不符合要求的情形").replace(UNNAMED_DEDUCTION, "扣分")


def _setup(ev: Evaluation, inputs: Inputs) -> list[str]:
    """"邵阳市信访局是市政府工作部门…": the unit's name before its 机构设置 text."""
    lines = text_or_todo(inputs, "机构设置", "机构设置情况")
    return named_first(ev.unit, lines) if given(inputs, "机构设置") else lines


def _verdict(ev: Evaluation, inputs: Inputs, problems: list[Problem]) -> list[str]:
    """The self-assessed score: the one computed by the rubric, and the department's own 自评总分
    where it entered one — both when they differ, with the indicators it scored otherwise
    (V402/V403)."""
    parts = "、".join(f"{s}{quantize(ev.sections[s], 2)}分" for s in ev.sections)
    claimed = inputs["自评总分"]
    if claimed is None or not any(p.id == "V402" for p in problems):  # differs as validate says it does
        said = f"{SELF}{ev.year}年度部门整体支出绩效自评得分为{ev.total}分，自评等级为“{ev.grade}”。其中：{parts}。"
        return [f"对照部门整体支出绩效评价指标体系，{said}"]
    differ = [p for p in problems if p.id == "V403"]
    out = [f"对照部门整体支出绩效评价指标体系，{SELF}自评总分{fmt_num(claimed)}分，按评分标准计算为{ev.total}分"
           f"（评价等级“{ev.grade}”），相差{fmt_num(abs(claimed - ev.total))}分。按评分标准计算，其中：{parts}。"]
    if differ:
        out.append("自评得分与按评分标准计算不同的指标：" + "；".join(
            f"{p.name}自评{p.found}分，按评分标准计算为{p.expected}分" for p in differ) + "。")
    return out


def build_self_content(ev: Evaluation, inputs: Inputs, profile: Profile,
                       problems: list[Problem] | None = None, projects: Sequence[Project] = ()) -> ReportContent:
    title = f"{ev.unit}{ev.year}年度部门整体支出绩效自评报告"
    staff = f"{SELF}核定编制{fmt_num(inputs['编制数'])}人，截至{ev.year}年12月末实有在职人员{fmt_num(inputs['在职人数'])}人。"
    spending = {s.heading: s for s in _spending(ev, inputs, projects)}
    basis = given(inputs, "评价依据")
    opening = (f"根据{basis}，{SELF}对{ev.year}年度部门整体支出开展了绩效自评。现将自评情况报告如下：" if basis else "")
    sections = [
        Section("一、部门（单位）基本情况", subsections=[
            Section("（一）机构设置情况", _setup(ev, inputs)),
            Section("（二）人员编制情况", [staff]),
            Section("（三）主要职责", text_or_todo(inputs, "部门职责", "部门主要职责")),
        ]),
        Section("二、预算支出情况", subsections=[
            replace(spending["（一）预算执行、使用、管理总体情况"], heading="（一）部门预决算情况"),
            spending["（二）基本支出情况"], spending["（三）项目支出情况"], spending["（四）“三公经费”支出情况"],
            replace(spending["（五）政府采购执行情况"], heading="（五）政府采购情况"),
            spending["（六）资产管理情况"],
        ]),
        Section("三、部门整体支出绩效情况", _verdict(ev, inputs, problems or []), scores=True, subsections=[
            Section("（一）部门绩效总目标", text_or_todo(inputs, "绩效总目标", "部门绩效总目标")),
            Section("（二）评价指标分析", [*_indicator_lines(ev, profile, inputs),
                                          *([] if not given(inputs, "职责履行情况") else text_or_todo(inputs, "职责履行情况"))]),
        ]),
        Section("四、绩效指标完成情况", text_or_todo(inputs, "绩效指标完成情况", "绩效指标完成情况")),
        Section("五、存在的问题及原因", subsections=_problems(ev, profile, inputs)),
        Section("六、改进措施及建议", _advice(ev, profile, inputs)),
        Section("七、其他需要说明的情况", text_or_todo(inputs, "其他需要说明的情况", "其他需要说明的情况（没有的写“无”）")),
    ]
    closing = [f"附件：1. {ev.year}年度部门整体支出绩效自评表（指标评分表）", f"2. {ev.year}年度部门整体支出绩效自评评分说明"]
    signature = [ev.unit, given(inputs, "报告日期") or "【待填写：报告日期】"]
    scores = [(s, ev.section_weights[s], ev.sections[s]) for s in ev.sections]
    rows = [ScoreRow(r.level1, r.level2, r.name, r.weight, quantize(r.score, 2), *_rubric_text(profile, r.no))
            for r in ev.indicators]
    notes = _notes(ev, profile, subject=SELF, evidence_blank="", basis=_voice)
    return ReportContent(title, sections, scores, ev.total, ev.grade, rows, notes, opening=opening, closing=closing,
                         signature=signature, level_weights=_level_weights(profile), author=ev.unit)
