"""The 自评报告 every department writes each year (preval report --kind 自评), in the structure
of the self-evaluation seeds (hengyang-county-2023, shaodong-2022): 基本情况, 预算支出情况,
评价指标分析 with the self-assessed scores, 存在的问题, 改进措施, 附件. The same figures,
helpers and annexes as the third-party report; the department speaks for itself."""

from __future__ import annotations

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
from udfs.engine import Evaluation
from udfs.inputs import Inputs
from udfs.money import quantize
from udfs.profile import Profile


def _setup(ev: Evaluation, inputs: Inputs) -> list[str]:
    """"邵阳市信访局是市政府工作部门…": the unit's name before its 机构设置 text."""
    lines = text_or_todo(inputs, "机构设置", "机构设置情况")
    return named_first(ev.unit, lines) if given(inputs, "机构设置") else lines


def build_self_content(ev: Evaluation, inputs: Inputs, profile: Profile) -> ReportContent:
    title = f"{ev.unit}{ev.year}年度部门整体支出绩效自评报告"
    staff = f"核定编制{fmt_num(inputs['编制数'])}人，截至{ev.year}年12月末实有在职人员{fmt_num(inputs['在职人数'])}人。"
    spending = {s.heading: s for s in _spending(ev, inputs)}
    parts = "、".join(f"{s}{quantize(ev.sections[s], 2)}分" for s in ev.sections)
    verdict = (f"对照部门整体支出绩效评价指标体系，{ev.unit}{ev.year}年度部门整体支出绩效自评得分为{ev.total}分，"
               f"自评等级为“{ev.grade}”。其中：{parts}。各指标自评情况如下：")
    sections = [
        Section("一、部门（单位）基本情况", subsections=[
            Section("（一）机构设置情况", _setup(ev, inputs)),
            Section("（二）人员编制情况", [staff]),
            Section("（三）主要职责", text_or_todo(inputs, "部门职责", "部门主要职责")),
        ]),
        Section("二、预算支出情况", subsections=[
            Section("（一）部门预决算情况", spending["（一）预算执行、使用、管理总体情况"].paragraphs),
            Section("（二）“三公经费”支出情况", spending["（四）“三公经费”支出情况"].paragraphs),
            Section("（三）政府采购情况", spending["（五）政府采购执行情况"].paragraphs),
        ]),
        Section("三、评价指标分析", [verdict, *_indicator_lines(ev, profile, inputs),
                                     *([] if not given(inputs, "职责履行情况") else text_or_todo(inputs, "职责履行情况"))],
                scores=True),
        Section("四、存在的问题及原因", subsections=_problems(ev, profile, inputs)),
        Section("五、改进措施及建议", _advice(ev, profile, inputs)),
    ]
    closing = [f"附件：1. {ev.year}年度部门整体支出绩效自评表（指标评分表）", f"2. {ev.year}年度部门整体支出绩效自评评分说明"]
    signature = [ev.unit, given(inputs, "报告日期") or "【待填写：报告日期】"]
    scores = [(s, ev.section_weights[s], ev.sections[s]) for s in ev.sections]
    rows = [ScoreRow(r.level1, r.level2, r.name, r.weight, quantize(r.score, 2), *_rubric_text(profile, r.no))
            for r in ev.indicators]
    return ReportContent(title, sections, scores, ev.total, ev.grade, rows, _notes(ev, profile), closing=closing,
                         signature=signature, level_weights=_level_weights(profile))
