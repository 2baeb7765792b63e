"""What the Word report says, as plain data: headings, paragraphs and tables built from
one scored evaluation. No python-docx here (``addin.report.word`` lays it out), so the wording
is testable on its own. Structure after the seed reports: 基本情况, 评价结论, 指标分析,
存在的问题, 建议, 附件1 评分表, 附件2 评分说明."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from addin.checks import Problem
from udfs.engine import Evaluation, IndicatorResult
from udfs.inputs import Inputs
from udfs.money import fmt_money, fmt_num, fmt_pct, quantize
from udfs.profile import Profile
from udfs.rates import RATES


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


NUMERALS = "一二三四五六七八九十"
NO_PROBLEMS = [Section("", ["各项指标均得满分，未发现需要整改的问题。"])]


def _on_figures(r: IndicatorResult, profile: Profile, inputs: Inputs) -> str:
    """What the figures were, when points were lost on them (more lost than the 扣分 rows
    deducted): "预算调整率为30.45%", "工作质量等级为良好"; "" when only 扣分 cost points."""
    deducted = sum((f.points for f in r.findings), Decimal(0))
    ind = profile.indicator(r.no)
    if ind is None or r.weight - r.score <= deducted:
        return ""
    said = []
    for part in ind.value_parts:
        if part.rate and r.rate is not None and part is ind.rate_part:
            said.append(f"{RATES[part.rate].label}为{fmt_pct(r.rate)}")
        elif part.input:
            said.append(f"{part.input}为{inputs[part.input] or '（未填）'}")
    return "，".join(said)


def _why(r: IndicatorResult, profile: Profile, inputs: Inputs) -> str:
    """Why an indicator lost points, in plain words: the figures it lost them on, and the
    evaluators' 扣分 reasons. The calculation itself is printed once, in 附件2."""
    said = [_on_figures(r, profile, inputs)] + list(dict.fromkeys(f.reason for f in r.findings if f.reason))
    return "；".join(s for s in said if s)


def _analysis(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[Section]:
    out = []
    for n, section in enumerate(ev.sections):
        results = [r for r in ev.indicators if r.level1 == section]
        lost = [r for r in results if _lost(r)]
        head = (f"（{NUMERALS[n]}）{section}指标（满分{fmt_num(ev.section_weights[section])}分，"
                f"得{pts(ev.sections[section])}分）")
        paragraphs = [f"{r.name}（{fmt_num(r.weight)}分）得{fmt_num(r.score)}分"
                      + (f"：{_why(r, profile, inputs)}" if _why(r, profile, inputs) else "")
                      + f"（计算过程见附件2第{r.no}项）。" for r in lost]
        full = len(results) - len(lost)
        if full:
            paragraphs.append(f"其余{full}项指标{'均' if full > 1 else ''}得满分。" if lost
                              else f"{len(results)}项指标均得满分。")
        out.append(Section(head, paragraphs))
    return out


def _end(text: str) -> str:
    """A sentence ends with one 。 (a basis or message may already carry its own)."""
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _problems(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[Section]:
    """The evaluators' 扣分 findings and the indicators below full marks, grouped by 二级指标
    (the themes a report's 存在的问题 has), in plain words: no check ids, no cell addresses,
    no calculation (附件2 has each once)."""
    groups: dict[str, list[str]] = {}
    for r in ev.indicators:
        if not _lost(r):
            continue
        lines = groups.setdefault(r.level2, [])
        for f in r.findings:
            evidence = f"（佐证材料：{f.evidence}）" if f.evidence else ""
            lines.append(_end(f"{r.name}：{f.reason}{evidence}"))
        figures = _on_figures(r, profile, inputs)
        if figures:  # points lost on the figures, not (only) by 扣分
            lines.append(f"{r.name}未得满分（{fmt_num(r.weight)}分，得{pts(r.score)}分）：{figures}。")
    out = []
    for n, (group, lines) in enumerate(groups.items()):
        out.append(Section(f"（{NUMERALS[n % 10]}）{group}方面", [f"{k}. {line}" for k, line in enumerate(lines, start=1)]))
    return out


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


def _notes(ev: Evaluation, profile: Profile) -> list[str]:
    """附件2 as the seed writes it: the recital of the section scores, then per indicator its
    standard and score, the rubric's 评分依据 with this evaluation's calculation (the only place
    the calculation is printed), and the 佐证材料 line (the evidence named in 扣分记录, else the
    blank the evaluator fills in by hand, as the seed has it)."""
    sections = "，".join(f"{s}指标得分{pts(ev.sections[s])}分" for s in ev.sections)
    out = [f"部门整体支出绩效评价指标按{'、'.join(ev.sections)}{len(ev.sections)}个方面以百分制打分方式进行具体细分评价，"
           f"其中：{sections}，合计{pts(ev.total)}分，评价等级为“{ev.grade}”。", "具体绩效指标评分过程情况如下："]
    for r in ev.indicators:
        ind = profile.indicator(r.no)
        standard = ind.standard if ind is not None else ""
        evidence = "；".join(dict.fromkeys(f.evidence for f in r.findings if f.evidence)) or "见评价资料第    页"
        out += [f"{r.no}、{r.name}指标标准分值{fmt_num(r.weight)}分，得分{fmt_num(r.score)}分。",
                "评分依据：" + (_end(standard) if standard else "") + "该部门" + _end(r.basis),
                _end(f"佐证材料：{evidence}")]
    return out


def build_content(ev: Evaluation, inputs: Inputs, profile: Profile, problems: list[Problem]) -> ReportContent:
    title = f"{ev.unit}{ev.year}年度部门整体支出绩效评价报告"
    sections = [
        Section("一、基本情况", _background(ev, inputs)),
        Section("二、评价结论", _conclusion(ev)),
        Section("三、指标分析", subsections=_analysis(ev, profile, inputs)),
        Section("四、存在的问题", subsections=_problems(ev, profile, inputs) or NO_PROBLEMS),
        Section("五、建议", _advice(ev, profile)),
    ]
    scores = [(s, ev.section_weights[s], ev.sections[s]) for s in ev.sections]
    rows = [(r.level1, r.level2, r.name, r.weight, quantize(r.score, 2)) for r in ev.indicators]
    return ReportContent(title, sections, scores, ev.total, ev.grade, rows, _notes(ev, profile))


def share(points: Decimal, weight: Decimal) -> str:
    """得分率 as the section table prints it."""
    return fmt_pct(points / weight if weight else None, 1)
