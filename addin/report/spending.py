"""二、部门整体支出管理及使用情况 from the figures, as seed 003 writes it: the budget and its
execution, 基本支出 by 人员经费 and 公用经费 against 上年, 项目支出 with 项目明细's projects, “三公经费”
item by item against 预算 and 上年, 政府采购 by 货物/工程/服务 against 上年, and (seed 002 二(二)) 资产. Each
section and its table always appear, with their item labels; a figure not entered is a
【待填写】 (a workbook of an older template has none of the 0.8 inputs)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from addin.checks.projects import Project
from addin.report.model import TODO, Section, Table, given, lines_of
from udfs.engine import Evaluation
from udfs.inputs import Inputs
from udfs.money import ZERO, fmt_money, fmt_pct

BLANK = "【待填写】"  # a table cell whose figure was not entered


def change(now: Decimal, before: Decimal, what: str) -> str:
    """"比X减少10.27万元，减少42.79%" — the comparison the seed writes, never a division by 0."""
    diff = now - before
    word = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
    if not diff:
        return f"与{what}持平"
    share = f"，{word}{fmt_pct(abs(diff) / before)}" if before else ""
    return f"比{what}{word}{fmt_money(abs(diff))}万元{share}"


def _cell(value: Decimal | None) -> str:
    return BLANK if value is None else fmt_money(value)


def _total(*values: Decimal | None) -> Decimal | None:
    """The sum of the items, when every item was entered."""
    return None if any(v is None for v in values) else sum((v for v in values if v is not None), ZERO)


def _delta(now: Decimal | None, before: Decimal | None) -> tuple[str, str]:
    """增减 and 增减率 of a row: "—" where a figure is missing (its own cell says so) or for a
    rate over 0."""
    if now is None or before is None:
        return "—", "—"
    diff = now - before
    return fmt_money(diff), fmt_pct(diff / before) if before else "—"


def _less(whole: Decimal | None, part: Decimal | None) -> Decimal | None:
    return None if whole is None or part is None else whole - part


def _basic(ev: Evaluation, x: Inputs) -> Section:
    """基本支出 = 人员经费 + 公用经费 (商品和服务 and 资本性): the latter is the difference, so the
    rows always add up (the rubric's 公用经费实际 includes projects' and is another figure)."""
    basic, staff, before, staff_before = x["基本支出"], x["人员经费"], x["基本支出上年"], x["人员经费上年"]
    public, public_before = _less(basic, staff), _less(before, staff_before)
    if basic is None:
        lines = [TODO.format("基本支出情况（或在“财务数据”表填写基本支出）")]
    else:
        text = f"{ev.year}年度实际发生基本支出共{fmt_money(basic)}万元"
        if staff is not None and public is not None:
            text += f"，其中：人员经费{fmt_money(staff)}万元，公用经费{fmt_money(public)}万元"
        if before is not None:
            text += f"；{change(basic, before, f'上年{fmt_money(before)}万元')}"
        lines = [text + "。"]
    if given(x, "基本支出情况"):  # the department's words after the figures, before the table (0.10)
        lines += lines_of(str(given(x, "基本支出情况")))
    rows = []
    for label, now, last in (("人员经费", staff, staff_before), ("公用经费", public, public_before),
                             ("合计", basic, before)):
        rows.append((label, _cell(now), _cell(last), *_delta(now, last)))
    table = Table("基本支出构成", ("项目", "本年", "上年", "增减", "增减率"), rows, (4, 3, 3, 3, 3))
    return Section("（二）基本支出情况", lines, tables=[table])


def _projects(ev: Evaluation, x: Inputs, projects: Sequence[Project]) -> Section:
    """Seed 003 二(三): "1.项目管理情况。" in the department's words (0.10, where typed), then
    "2.项目具体支出明细情况。": 项目支出 with 执行率 and the projects one by one with their 合计
    (a project's missing figure is 【待填写】 and leaves that column's 合计 open)."""
    heading, managed = "（三）项目支出情况", given(x, "项目管理情况")
    if x["项目支出"] is None and not projects and not managed:
        return Section(heading, [TODO.format("项目支出情况（或在“财务数据”表填写项目支出）")])
    figures = []
    if x["项目支出"] is not None:
        project = f"{ev.year}年度实际发生项目支出共{fmt_money(x['项目支出'])}万元"
        if x["项目预算"]:
            project += (f"，项目支出预算（本年实际拨入）{fmt_money(x['项目预算'])}万元，"
                        f"项目资金执行率为{fmt_pct(x['项目支出'] / x['项目预算'])}")
        figures.append(project + "。")
    tables = []
    if not projects and x["项目支出"] != 0:
        # the table always appears (older workbooks have no 项目明细): one row to write in, and
        # its 合计 from 项目支出 where that was entered
        figures.append(TODO.format("项目明细（在工作簿“项目明细”表逐项填写后重新生成）") + "项目明细收支情况如下表：")
        tables.append(Table("项目明细收支情况", ("序号", "项目名称", "本年实际拨入", "本年实际支出", "年末结转和结余"),
                            [("1", BLANK, BLANK, BLANK, BLANK), ("", "合计", BLANK, _cell(x["项目支出"]), BLANK)],
                            (1.5, 6.5, 3, 3, 3)))
    if projects:
        totals = [_total(*(getattr(p, field) for p in projects)) for field in ("allotted", "spent", "carried")]
        shown = f"{ev.year}年度{len(projects)}个项目本年实际支出合计{_cell(totals[1])}万元"
        if totals[2] is not None:
            shown += f"，年末结转和结余{fmt_money(totals[2])}万元"
        figures.append(shown + "，项目明细收支情况如下表：")
        rows: list[tuple[str, ...]] = [(str(n), p.name, _cell(p.allotted), _cell(p.spent), _cell(p.carried))
                                       for n, p in enumerate(projects, start=1)]
        rows.append(("", "合计", *(_cell(t) for t in totals)))
        tables.append(Table("项目明细收支情况", ("序号", "项目名称", "本年实际拨入", "本年实际支出", "年末结转和结余"), rows,
                            (1.5, 6.5, 3, 3, 3)))
    if not managed:
        return Section(heading, figures, tables=tables)
    typed = lines_of(managed)
    lines = [f"1.项目管理情况。{typed[0]}", *typed[1:]]
    if figures:
        lines += [f"2.项目具体支出明细情况。{figures[0]}", *figures[1:]]
    return Section(heading, lines, tables=tables)


SANGONG_ITEMS = (("因公出国（境）费", "出国经费"), ("公务用车购置及运行费", "公务用车经费"), ("公务接待费", "公务接待经费"))


def _sangong(ev: Evaluation, x: Inputs) -> Section:
    m = fmt_money
    text = (f"{ev.year}年度“三公经费”预算数为{m(x['三公预算本年'])}万元，实际支出为{m(x['三公实际'])}万元，"
            f"实际支出{change(x['三公实际'], x['三公预算本年'], '预算')}")
    if x["三公实际上年"] is not None:
        text += "；" + change(x["三公实际"], x["三公实际上年"], f"上年实际支出{m(x['三公实际上年'])}万元")
    text += "。"
    parts = [(label, name) for label, name in SANGONG_ITEMS if x[name] is not None]
    if parts:
        text += "其中：" + "，".join(f"{label}{m(x[name])}万元" for label, name in parts) + "。"
    rows = [(label, _cell(x[f"{name}预算"]), _cell(x[name]), _cell(x[f"{name}上年"])) for label, name in SANGONG_ITEMS]
    rows.append(("合计", _cell(x["三公预算本年"]), _cell(x["三公实际"]), _cell(x["三公实际上年"])))
    table = Table("“三公经费”支出情况", ("项目", "预算数", "本年实际", "上年实际"), rows, (5, 3, 3, 3))
    return Section("（四）“三公经费”支出情况", [text], tables=[table])


PROCURE_ITEMS = (("货物", "采购货物"), ("工程", "采购工程"), ("服务", "采购服务"))


def _procure(ev: Evaluation, x: Inputs) -> Section:
    m = fmt_money
    text = f"{ev.year}年度政府采购预算金额{m(x['采购预算'])}万元，实际政府采购金额{m(x['采购实际'])}万元"
    kinds = [(label, name) for label, name in PROCURE_ITEMS if x[name] is not None]
    if kinds:
        text += "，其中" + "，".join(f"{label}支出{m(x[name])}万元" for label, name in kinds)
    text += f"，实际采购金额{change(x['采购实际'], x['采购预算'], '预算采购金额')}"
    if x["采购实际上年"] is not None:
        text += f"；上年政府采购实际支出{m(x['采购实际上年'])}万元"
    text += "。"
    rows = [(label, _cell(x[name]), _cell(x[f"{name}上年"]), *_delta(x[name], x[f"{name}上年"]))
            for label, name in PROCURE_ITEMS]
    before = x["采购实际上年"] if x["采购实际上年"] is not None else _total(*(x[f"{name}上年"] for _, name in PROCURE_ITEMS))
    rows.append(("合计", _cell(x["采购实际"]), _cell(before), *_delta(x["采购实际"], before)))
    table = Table("政府采购支出构成", ("项目", "本年", "上年", "增减", "增减率"), rows, (4, 3, 3, 3, 3))
    return Section("（五）政府采购执行情况", [text], tables=[table])


ASSET_ITEMS = (("资产总额", "资产总额"), ("负债总额", "负债总额"), ("净资产", "净资产"), ("固定资产原值", "固定资产"))


def _assets(ev: Evaluation, x: Inputs) -> Section:
    given = [(label, x[name]) for label, name in ASSET_ITEMS if x[name] is not None]
    if given:
        lines = [f"截至{ev.year}年12月31日，" + "，".join(f"{label}{fmt_money(v)}万元" for label, v in given) + "。"]
    else:
        lines = [TODO.format("资产情况（或在“财务数据”表填写资产总额、负债总额、净资产、固定资产）")]
    table = Table("资产情况", tuple(label for label, _ in ASSET_ITEMS),
                  [tuple(_cell(x[name]) for _, name in ASSET_ITEMS)], (3.5, 3.5, 3.5, 3.5))
    return Section("（六）资产管理情况", lines, tables=[table])


def spending(ev: Evaluation, x: Inputs, projects: Sequence[Project] = ()) -> list[Section]:
    m = fmt_money
    revenue = [f"年初预算{m(x['年初预算'])}万元", f"追加预算{m(x['追加预算'])}万元"]
    revenue += [f"{label}{m(x[name])}万元" for name, label in (("追减预算", "追减预算"), ("上年结转", "上年结转和结余"),
                                                               ("其他收入", "其他收入")) if x[name]]
    spent = f"部门预算总支出{m(x['预算执行数'])}万元"
    if x["基本支出"] is not None and x["项目支出"] is not None:
        spent += f"，其中：基本支出{m(x['基本支出'])}万元，项目支出{m(x['项目支出'])}万元"
    overall = (f"{ev.year}年度部门预算总收入{m(x['全年预算'])}万元，其中：{'，'.join(revenue)}；{spent}。"
               f"年末结转和结余{m(x['结转结余'])}万元。")
    return [Section("（一）预算执行、使用、管理总体情况", [overall]), _basic(ev, x), _projects(ev, x, projects), _sangong(ev, x),
            _procure(ev, x), _assets(ev, x)]
