"""What the Word report says, as plain data: headings, paragraphs and tables built from
one scored evaluation. No python-docx here (``addin.report.word`` lays it out), so the wording
is testable on its own. Structure after the seed reports: 基本情况, 评价结论, 指标分析,
存在的问题, 建议, 附件1 评分表, 附件2 评分说明."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from addin.checks import Problem
from addin.checks.projects import Project
from addin.report.lost import advice, end, lost, numeral, problems, pts, why
from addin.report.model import TODO, ReportContent, ScoreRow, Section, given, states, text_or_todo
from addin.report.spending import spending as _spending
from udfs.engine import Evaluation
from udfs.inputs import Inputs
from udfs.money import fmt_num, fmt_pct, quantize
from udfs.profile import Profile

PREDICATES = ("是", "为", "系", "属")  # a first line that starts so has no subject of its own


def named_first(unit: str, lines: list[str]) -> list[str]:
    """The unit's name before a first line that has no subject ("是市政府工作部门…" ->
    "邵阳市信访局是市政府工作部门…"); a line with its own — the full name or a short one
    (seed 002: "县行政审批局为正科级…") — stays as typed: "衡阳县行政审批服务局县行政审批局为…"
    and "衡阳县行政审批服务局衡阳县行政审批服务局为…" are what gluing made of them."""
    if unit and lines and lines[0].startswith(PREDICATES):
        return [f"{unit}{lines[0]}", *lines[1:]]
    return lines


def _unit_basics(ev: Evaluation, x: Inputs) -> list[Section]:
    posts, in_post = fmt_num(x["编制数"]), fmt_num(x["在职人数"])
    staff = f"核定编制人数为{posts}人，截至{ev.year}年12月末实有在职人员{in_post}人。"
    typed = given(x, "机构设置") or ""
    # each typed line its own paragraph (a line break in the cell was a soft break without
    # indent); the unit named once (a clerk often starts with it: "衡阳县…局衡阳县…局为正科级");
    # the staffing sentence only where the clerk's own does not already state both figures
    lines = named_first(ev.unit, [end(line) for line in text_or_todo(x, "机构设置", "机构设置（部门性质、级别、内设机构）")])
    if not ("编制" in typed and states(typed, posts) and states(typed, in_post)):
        lines[-1] += staff
    return [Section("（一）部门基本情况", lines),
            Section("（二）主要职责", text_or_todo(x, "部门职责", "部门主要职责"))]


def _conclusion(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[str]:
    parts = "、".join(f"{s}{pts(ev.sections[s])}分（满分{fmt_num(ev.section_weights[s])}分）" for s in ev.sections)
    weak = list(dict.fromkeys(r.level2 for r in ev.indicators if lost(r)))
    text = (f"（{numeral(len(_steps(inputs)) + 1)}）评价结论。根据部门整体支出绩效评价指标体系综合评价，"
            f"{ev.unit}{ev.year}年度部门整体支出绩效评价得分为{ev.total}分，评价等级为“{ev.grade}”。其中：{parts}。")
    if weak:
        text += f"失分主要在{'、'.join(weak[:4])}{'等' if len(weak) > 4 else ''}方面。"
    out = [text]
    if ev.serious_violation:
        out.append("因存在严重违纪违法事件，评价等级按评分标准下调一级。")
    return out


def _steps(x: Inputs) -> list[str]:
    return text_or_todo(x, "评价工作情况", "评价工作步骤")


def _indicator_lines(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[str]:
    """主要绩效指标完成情况: each section's indicators that lost points, with the figures and
    reasons, referring to 附件2 for the calculation."""
    out = []
    for section in ev.sections:
        results = [r for r in ev.indicators if r.level1 == section]
        below = [r for r in results if lost(r)]
        lines = [f"{r.name}得{fmt_num(r.score)}分（满分{fmt_num(r.weight)}分）"
                 + (f"，{why(r, profile, inputs)}" if why(r, profile, inputs) else "")
                 + f"（计算过程见附件2第{r.no}项）" for r in below]
        rest = len(results) - len(below)
        tail = (f"其余{rest}项指标{'均' if rest > 1 else ''}得满分" if below else f"{rest}项指标均得满分") if rest else ""
        out.append(f"{section}指标满分{fmt_num(ev.section_weights[section])}分，得{pts(ev.sections[section])}分："
                   + "；".join([*lines, tail] if tail else lines) + "。")
    return out


def _problems(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[Section]:
    """The typed 问题及原因分析 as typed, and the lost points it does not mention (all of
    them when nothing was typed), in plain words: no check ids, no cell addresses, no
    calculation (附件2 has each once). ``addin.report.lost`` says what is lost."""
    return [Section(p.heading, p.lines) for p in problems(ev, profile, inputs, given(inputs, "问题及原因分析"))]


def _advice(ev: Evaluation, profile: Profile, inputs: Inputs) -> list[str]:
    return advice(ev, profile, given(inputs, "改进措施"))


def _notes(ev: Evaluation, profile: Profile, subject: str = "该部门", evidence_blank: str = "见评价资料第    页",
           basis=lambda text: text) -> list[str]:
    """附件2 as the seed writes it: the recital of the section scores, then per indicator its
    standard and score, the rubric's 评分依据 with this evaluation's calculation (the only place
    the calculation is printed), and the 佐证材料 line (the evidence named in 扣分记录, else
    ``evidence_blank``, the blank the evaluator fills in by hand as the seed has it; none when
    empty). ``subject`` and ``basis`` give the 自评报告 the department's voice."""
    sections = "，".join(f"{s}指标得分{pts(ev.sections[s])}分" for s in ev.sections)
    out = [f"部门整体支出绩效评价指标按{'、'.join(ev.sections)}{len(ev.sections)}个方面以百分制打分方式进行具体细分评价，"
           f"其中：{sections}，合计{pts(ev.total)}分，评价等级为“{ev.grade}”。", "具体绩效指标评分过程情况如下："]
    for r in ev.indicators:
        ind = profile.indicator(r.no)
        standard = ind.standard if ind is not None else ""
        evidence = "；".join(dict.fromkeys(f.evidence for f in r.findings if f.evidence)) or evidence_blank
        out += [f"{r.no}、{r.name}指标标准分值{fmt_num(r.weight)}分，得分{fmt_num(r.score)}分。",
                "评分依据：" + (end(standard) if standard else "") + subject + end(basis(r.basis))]
        if evidence:
            out.append(end(f"佐证材料：{evidence}"))
    return out


def build_content(ev: Evaluation, inputs: Inputs, profile: Profile, problems: list[Problem],
                  projects: Sequence[Project] = ()) -> ReportContent:
    """The third-party evaluation report in the seed's structure and order (一 部门概况 … 六
    改进措施及有关建议, the 附件 list, the evaluating body and the date, 附件1, 附件2)."""
    title = f"{ev.unit}{ev.year}年度部门整体支出绩效评价报告"
    basis = given(inputs, "评价依据") or TODO.format("评价依据（文件名称及文号）")
    body = given(inputs, "评价机构") or TODO.format("评价机构")
    opening = (f"为加强预算资金绩效管理，切实提高预算资金使用效益，根据{basis}，{body}对{ev.unit}"
               f"{ev.year}年度部门整体支出进行了绩效评价。现将评价情况报告如下：")
    work = Section("三、绩效评价工作情况及评价结论",
                   [f"{body}成立了绩效评价工作小组，确定评价方案，在单位自评的基础上，对该单位{ev.year}年度部门整体支出"
                    "进行评价。评价工作内容主要有：", *_steps(inputs), *_conclusion(ev, profile, inputs)], scores=True)
    sections = [
        Section("一、部门概况", subsections=_unit_basics(ev, inputs)),
        Section("二、部门整体支出管理及使用情况", subsections=_spending(ev, inputs, projects)),
        work,
        Section("四、部门整体支出绩效情况", subsections=[
            Section("（一）部门绩效总目标", text_or_todo(inputs, "绩效总目标", "部门绩效总目标")),
            Section("（二）主要绩效指标完成情况", [*_indicator_lines(ev, profile, inputs),
                                                  *([] if not given(inputs, "绩效指标完成情况")
                                                    else text_or_todo(inputs, "绩效指标完成情况"))]),
            Section("（三）职责履行和主要绩效情况", text_or_todo(inputs, "职责履行情况", "职责履行和主要绩效情况")),
        ]),
        Section("五、存在的问题及原因分析", subsections=_problems(ev, profile, inputs)),
        Section("六、改进措施及有关建议", _advice(ev, profile, inputs)),
    ]
    closing = [f"附件：1. {ev.year}年度部门整体支出绩效评价指标评分表", f"2. {ev.year}年度部门整体支出绩效评价评分说明"]
    # seed 003's 落款: the body, the signing people (a blank line to sign by hand when not typed), the date
    people = [f"{label}：{given(inputs, role) or '__________'}"
              for role, label in (("项目负责人", "项目负责人"), ("注册会计师", "中国注册会计师"))]
    signature = [body, *people, given(inputs, "报告日期") or TODO.format("报告日期")]
    heading_lines = [given(inputs, "文号") or TODO.format("文号")]
    scores = [(s, ev.section_weights[s], ev.sections[s]) for s in ev.sections]
    rows = [ScoreRow(r.level1, r.level2, r.name, r.weight, quantize(r.score, 2),
                     *_rubric_text(profile, r.no)) for r in ev.indicators]
    return ReportContent(title, sections, scores, ev.total, ev.grade, rows, _notes(ev, profile), opening=opening,
                         closing=closing, signature=signature, heading_lines=heading_lines,
                         level_weights=_level_weights(profile), author=given(inputs, "评价机构") or "")


def _rubric_text(profile: Profile, no: int) -> tuple[str, str, str]:
    ind = profile.indicator(no)
    return (ind.explain, ind.standard, ind.evidence) if ind is not None else ("", "", "")


def _level_weights(profile: Profile) -> dict[str, Decimal]:
    """投入 14, 目标设定 7 …: the labels 附件1 prints as "投入（14分）"."""
    out: dict[str, Decimal] = {}
    for ind in profile.indicators:
        for key in (ind.level1, f"{ind.level1}/{ind.level2}"):
            out[key] = out.get(key, Decimal(0)) + ind.weight
    return out


def share(points: Decimal, weight: Decimal) -> str:
    """得分率 as the section table prints it."""
    return fmt_pct(points / weight if weight else None, 2)  # as 汇总 shows it: 78.86%, not 78.9%
