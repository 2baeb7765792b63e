"""What the Word report says, as plain data: headings, paragraphs and tables built from
one scored evaluation. No python-docx here (``addin.report.word`` lays it out), so the wording
is testable on its own. Structure after the seed reports: 基本情况, 评价结论, 指标分析,
存在的问题, 建议, 附件1 评分表, 附件2 评分说明."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from addin.checks import HINT, Problem
from udfs.engine import Evaluation, IndicatorResult
from udfs.inputs import Inputs
from udfs.money import fmt_money, fmt_num, fmt_pct, quantize
from udfs.profile import Profile


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class ReportContent:
    title: str
    sections: list[Section]
    section_scores: list[tuple[str, Decimal, Decimal]]  # (一级指标, 满分, 得分)
    total: Decimal
    grade: str
    score_rows: list[tuple[str, str, str, Decimal, Decimal]]  # 附件1: 一级, 二级, 三级, 分值, 得分
    notes: list[str]  # 附件2, one paragraph per indicator


def pts(value: Decimal) -> str:
    """A score as the report prints it: 2 decimals (33.20, not 33.2)."""
    return f"{quantize(value, 2)}"


def _lost(result: IndicatorResult) -> bool:
    return result.score < result.weight


def _background(ev: Evaluation, x: Inputs) -> list[str]:
    m = lambda name: fmt_money(x[name])  # noqa: E731
    staff = f"{ev.unit}核定编制{fmt_num(x['编制数'])}人，年末实有在职人员{fmt_num(x['在职人数'])}人。"
    revenue = [f"年初预算{m('年初预算')}万元", f"追加预算{m('追加预算')}万元"]
    revenue += [f"{label}{m(name)}万元" for name, label in (("追减预算", "追减预算"), ("上年结转", "上年结转和结余"),
                                                            ("其他收入", "其他收入")) if x[name]]
    budget = (f"{ev.year}年度部门预算总收入（全年预算）{m('全年预算')}万元，其中：{'，'.join(revenue)}；"
              f"预算执行数{m('预算执行数')}万元，年末结转结余{m('结转结余')}万元。")
    detail = (f"“三公经费”预算{m('三公预算本年')}万元（上年{m('三公预算上年')}万元），实际支出{m('三公实际')}万元；"
              f"公用经费预算{m('公用经费预算')}万元，实际支出{m('公用经费实际')}万元；"
              f"政府采购预算{m('采购预算')}万元，实际采购{m('采购实际')}万元。")
    return [staff, budget, detail]


def _conclusion(ev: Evaluation) -> list[str]:
    parts = "、".join(f"{s}{pts(ev.sections[s])}分（满分{fmt_num(ev.section_weights[s])}分）" for s in ev.sections)
    text = (f"根据部门整体支出绩效评价指标体系，经综合评价，{ev.unit}{ev.year}年度部门整体支出绩效评价"
            f"得分为{ev.total}分，评价等级为“{ev.grade}”。其中：{parts}。")
    out = [text]
    if ev.serious_violation:
        out.append("因存在严重违纪违法事件，评价等级按评分标准下调一级。")
    return out


def _analysis(ev: Evaluation) -> list[Section]:
    numerals = "一二三四五六七八九十"
    out = []
    for n, section in enumerate(ev.sections):
        results = [r for r in ev.indicators if r.level1 == section]
        lost = [r for r in results if _lost(r)]
        head = (f"（{numerals[n]}）{section}指标（满分{fmt_num(ev.section_weights[section])}分，"
                f"得{pts(ev.sections[section])}分）")
        paragraphs = [f"{r.name}（{fmt_num(r.weight)}分，得{fmt_num(r.score)}分）：" + _end(r.basis) for r in lost]
        full = len(results) - len(lost)
        if full:
            paragraphs.append(f"其余{full}项指标{'均' if full > 1 else ''}得满分。" if lost
                              else f"{len(results)}项指标均得满分。")
        out.append(Section(head, paragraphs))
    return out


def _end(text: str) -> str:
    """A sentence ends with one 。 (a basis or message may already carry its own)."""
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _problems(ev: Evaluation, hints: list[Problem]) -> list[str]:
    out = []
    for r in ev.indicators:
        for f in r.findings:
            evidence = f"（佐证材料：{f.evidence}）" if f.evidence else ""
            out.append(_end(f"{r.name}：{f.reason}，扣{fmt_num(f.points)}分{evidence}"))
    for r in ev.indicators:  # computed indicators that lost points without a 扣分记录 row
        if _lost(r) and not r.findings:
            out.append(f"{r.name}（满分{fmt_num(r.weight)}分，得{pts(r.score)}分）：" + _end(r.basis))
    out += [f"数据核对（{p.id}，{p.where}）：" + _end(p.message) for p in hints if p.severity == HINT]
    return [f"{n}. {text}" for n, text in enumerate(out, start=1)]


def _advice(ev: Evaluation, profile: Profile) -> list[str]:
    out, seen = [], []
    for r in ev.indicators:
        if _lost(r) and r.level2 not in seen:
            seen.append(r.level2)
    for n, group in enumerate(seen, start=1):
        names = "、".join(r.name for r in ev.indicators if r.level2 == group and _lost(r))
        text = profile.advice_for(group) or f"针对{group}方面的问题制定整改措施并跟踪落实。"
        out.append(f"{n}. {text}（涉及：{names}）")
    return out or ["各项指标均得满分，建议保持现有管理水平，持续做好绩效管理工作。"]


def _note(r: IndicatorResult) -> str:
    """附件2: the basis already names each deduction and its reason; add the evidence."""
    evidence = "；".join(dict.fromkeys(f.evidence for f in r.findings if f.evidence))
    return f"{r.no}. {r.name}（{fmt_num(r.weight)}分）：" + _end(r.basis) + (_end(f"佐证材料：{evidence}") if evidence else "")


def build_content(ev: Evaluation, inputs: Inputs, profile: Profile, problems: list[Problem]) -> ReportContent:
    title = f"{ev.unit}{ev.year}年度部门整体支出绩效评价报告"
    sections = [
        Section("一、基本情况", _background(ev, inputs)),
        Section("二、评价结论", _conclusion(ev)),
        Section("三、指标分析", subsections=_analysis(ev)),
        Section("四、存在的问题", _problems(ev, problems)),
        Section("五、建议", _advice(ev, profile)),
    ]
    scores = [(s, ev.section_weights[s], ev.sections[s]) for s in ev.sections]
    rows = [(r.level1, r.level2, r.name, r.weight, quantize(r.score, 2)) for r in ev.indicators]
    return ReportContent(title, sections, scores, ev.total, ev.grade, rows, [_note(r) for r in ev.indicators])


def share(points: Decimal, weight: Decimal) -> str:
    """得分率 as the section table prints it."""
    return fmt_pct(points / weight if weight else None, 1)
