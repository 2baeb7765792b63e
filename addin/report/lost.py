"""存在的问题 and 改进措施 from the points lost: a problem is stated only for an indicator below
full marks, with its 扣分事由 or its figure and the rubric's words that cost the points; a
suggestion only for such an indicator, from the rubric's advice for that 三级指标, else for its
二级指标 where no indicator of that group earned full marks (nor one it names). Text the evaluator or the
department typed stands as typed; generated lines are added only for lost points it does not
mention. No python-docx here, as in ``addin.report.content``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from addin.report.model import lines_of, states
from udfs.engine import Evaluation, IndicatorResult
from udfs.errors import EngineError
from udfs.inputs import Inputs
from udfs.money import fmt_num, fmt_pct, quantize
from udfs.profile import Profile
from udfs.rates import RATES

# what an indicator's name ends in after its subject: 公用经费控制率 is about 公用经费
_ENDINGS = ("率", "性", "度", "情况")
_VERBS = ("控制", "执行", "完成", "办结", "达标", "安排", "调整", "变动", "管理", "使用", "合规", "健全", "公开",
          "整改", "保管", "评价", "明确", "合理", "安全")


@dataclass
class Paragraphs:
    heading: str
    lines: list[str]


def lost(result: IndicatorResult) -> bool:
    return result.score < result.weight


def pts(value: Decimal) -> str:
    return f"{quantize(value, 2)}"


def end(text: str) -> str:
    """A sentence ends with one 。 (a basis or message may already carry its own)."""
    return text if text.endswith(("。", "！", "？")) else text + "。"


def subjects(name: str) -> tuple[str, ...]:
    """What an indicator's name is about, as a report's sentence would name it: 公用经费控制率 ->
    公用经费控制率, 公用经费; 政府采购执行率和规范性 -> …, 政府采购; 信息公开性 -> 信息公开."""
    out = [name]
    for piece in re.split("[和或/]", name):  # 经济/社会/生态效益: each of the three
        stem = piece
        for ending in _ENDINGS:
            stem = stem.removesuffix(ending)
        out.append(stem)
        for verb in _VERBS:
            if stem.endswith(verb) and len(stem) - len(verb) >= 3:
                out.append(stem.removesuffix(verb))
                break
    return tuple(dict.fromkeys(s for s in out if len(s) >= 2))


def mentions(text: str, result: IndicatorResult) -> bool:
    """``text`` speaks of this indicator: its name or subject, one of its 扣分事由, or its rate as
    the report prints it ("30.45%": a generated line would only repeat the figure)."""
    rate = fmt_pct(result.rate) if result.rate is not None else None
    return (any(s in text for s in subjects(result.name))
            or any(f.reason and f.reason.strip("。") in text for f in result.findings)
            or (rate is not None and states(text, rate)))


def value_lost(part, value: object, profile: Profile) -> bool:
    """A 是/否 or category part scored below its points (绩效监控 是 lost nothing), by its
    rule: a value the rule cannot score lost them all."""
    try:
        points, _ = part.rule.score(part, value, profile.options)
    except EngineError:
        return True
    return points < part.full


def on_figures(r: IndicatorResult, profile: Profile, inputs: Inputs) -> str:
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
        elif part.input and value_lost(part, inputs[part.input], profile):
            said.append(f"{part.input}为{inputs[part.input] or '（未填）'}")
    return "，".join(said)


def rubric_words(r: IndicatorResult, profile: Profile) -> str:
    """The rubric's words that cost the points on the figure ("大于10%不得分"); for a rate
    scored as a share of the points, the rule ("按比率×分值计分"). The calculation itself is
    printed once, in 附件2."""
    ind = profile.indicator(r.no)
    part = ind.rate_part if ind is not None else None
    if part is None or r.rate is None:
        return ""
    try:
        _points, words = part.rule.score(part, r.rate, profile.options)
    except EngineError:
        return ""
    return f"按评分标准“{part.rule.title}”计分" if "=" in words else f"评分标准为“{words}”"


def why(r: IndicatorResult, profile: Profile, inputs: Inputs) -> str:
    """Why an indicator lost points, in plain words: the figures it lost them on, and the
    evaluators' 扣分 reasons."""
    said = [on_figures(r, profile, inputs)] + list(dict.fromkeys(f.reason for f in r.findings if f.reason))
    return "；".join(s for s in said if s)


def problem_lines(r: IndicatorResult, profile: Profile, inputs: Inputs) -> list[str]:
    """The lines 存在的问题 gives an indicator below full marks."""
    lines = []
    for f in r.findings:
        evidence = f"（佐证材料：{f.evidence}）" if f.evidence else ""
        lines.append(end(f"{r.name}：{f.reason}{evidence}"))
    figures = on_figures(r, profile, inputs)
    if figures:  # points lost on the figures, not (only) by 扣分
        words = rubric_words(r, profile)
        lines.append(f"{r.name}未得满分（{fmt_num(r.weight)}分，得{pts(r.score)}分）：{figures}"
                     + (f"，{words}" if words else "") + "。")
    return lines


def problems(ev: Evaluation, profile: Profile, inputs: Inputs, typed: str | None) -> list[Paragraphs]:
    """存在的问题: the typed text as typed, then (or else) the lost points it does not mention,
    grouped by 二级指标 (the themes of a report's 存在的问题)."""
    missing = [r for r in ev.indicators if lost(r) and not (typed and mentions(typed, r))]
    groups: dict[str, list[str]] = {}
    for r in missing:
        groups.setdefault(r.level2, []).extend(problem_lines(r, profile, inputs))
    generated = [Paragraphs(f"（{numeral(n)}）{group}方面", [f"{k}. {line}" for k, line in enumerate(lines, 1)])
                 for n, (group, lines) in enumerate(((g, ls) for g, ls in groups.items() if ls), start=1)]
    if typed:
        typed_lines = lines_of(typed)
        extra = [Paragraphs("此外，以下失分上文未述及：", []), *generated] if generated else []
        return [Paragraphs("", typed_lines), *extra]
    return generated or [Paragraphs("", ["各项指标均得满分，未发现需要整改的问题。"])]


def _group_text_fits(text: str, level2: str, ev: Evaluation) -> bool:
    """A 二级指标's advice speaks of the whole group: it fits only where every indicator of the
    group lost points, and it names no indicator at full marks elsewhere either (the words of
    a group text cannot be matched to indicators reliably: "严把资金审核关" is 资金使用合规性)."""
    return (all(lost(r) for r in ev.indicators if r.level2 == level2)
            and not any(mentions(text, r) for r in ev.indicators if not lost(r)))


def numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一: the （一）… of a report's items."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def advice(ev: Evaluation, profile: Profile, typed: str | None) -> list[str]:
    """改进措施: for each indicator below full marks that the typed text does not already
    cover, the rubric's advice for it (or for its 二级指标, where none of that group is at full
    marks: ``_group_text_fits``), grouped by 二级指标 in the rubric's order: "（一）预算执行方面：一是…二是…"."""
    groups: dict[str, list[str]] = {}
    for r in ev.indicators:
        if not lost(r) or (typed and mentions(typed, r)):
            continue
        own, group = profile.advice_for(r.name), profile.advice_for(r.level2)
        if own:
            text = own
        elif group and _group_text_fits(group, r.level2, ev):
            text = group
        else:
            text = f"针对{r.name}失分的问题（{fmt_num(r.weight)}分，得{pts(r.score)}分）制定整改措施，并跟踪落实。"
        texts = groups.setdefault(r.level2, [])
        if text not in texts:
            texts.append(text)
    generated = []
    for n, (group, texts) in enumerate(groups.items(), start=1):
        body = texts[0] if len(texts) == 1 else "".join(f"{numeral(k)}是{t}" for k, t in enumerate(texts, start=1))
        generated.append(f"（{numeral(n)}）{group}方面：{body}")
    if typed:
        lines = lines_of(typed)
        return lines + (["此外，针对上文未述及的失分：", *generated] if generated else [])
    return generated or ["各项指标均得满分，建议保持现有管理水平，持续做好绩效管理工作。"]
