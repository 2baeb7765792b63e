"""The check catalogue (ruff-style: an id, a severity, a title, one line of documentation)
and what a firing check produces.

错误 blocks scoring, 提示 does not. A ``Problem`` is one check firing on one cell, with a
Chinese message stating what was expected and what was found. Checks read values and
never change them. Ids: V1xx one input cell, V2xx figures that must agree with each other,
V3xx 扣分记录 rows, V4xx the computed sheets, V5xx the workbook's structure (names, sheets). Ids are never reused; ``docs/checks.md`` is
generated from this table (``python -m addin.checks``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from addin.workbook.layout import ERROR, HINT

__all__ = ["CATALOGUE", "ERROR", "HINT", "Check", "Problem", "catalogue_markdown", "errors", "problem", "shown"]


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    doc: str


CATALOGUE: dict[str, Check] = {c.id: c for c in (
    Check("V101", ERROR, "必填项为空", "每个黄色输入单元格都要填写；没有的金额或数量填 0。"),
    Check("V102", ERROR, "不是数字", "金额、人数、任务数、比率须为数字；粘贴进来的文本（如“1,234.5万元”）不能计算。"),
    Check("V103", ERROR, "输入单元格含公式", "输入单元格应填写数值本身；公式可能引用了别处，计算结果无法核对。"),
    Check("V104", ERROR, "负数", "金额、人数和任务数不能为负数；追减预算请填正数。"),
    Check("V105", ERROR, "不在下拉选项中", "是/否、工作质量等级、整改情况须从下拉列表中选择。"),
    Check("V106", ERROR, "年度不是四位年份", "评价年度填写四位年份，如 2022。"),
    Check("V107", ERROR, "比率填成了百分数的数字", "满意率应填 95.62%（即 0.9562），填成 95.62 会按 9562% 计算。"),
    Check("V108", HINT, "金额可能以元填写", "金额单位为万元；超过 50 亿（500000 万元）的金额多半是按元填写的。"),
    Check("V109", HINT, "问卷少于30份", "评分标准要求满意度调查不少于30份问卷。"),
    Check("V110", ERROR, "人数或任务数不是整数", "编制数、在职人数、任务数和问卷份数应为整数。"),
    Check("V111", ERROR, "数字存为文本", "单元格中的数字是文本格式（常见于从其他文件、网页或系统粘贴的数字，单元格左上角有绿色三角），"
          "工作簿公式不把它当作数字，preval 也不计算；请选中单元格转换为数字（Excel：点击提示图标→“转换为数字”），"
          "或删除后重新输入。全角数字、千分位逗号、小数逗号等写法都算文本。"),
    Check("V201", ERROR, "全年预算与调整数不符", "年初预算 + 追加预算 − 追减预算 + 上年结转 + 其他收入 应等于全年预算"
          "（允许 0.01 万元误差；没有上年结转或其他收入的不填）。"),
    Check("V202", HINT, "结转结余与预算执行不符", "结转结余一般等于全年预算 − 预算执行数（允许 0.01 万元误差）；"
                                         "含以前年度结转时请在评分说明中注明。"),
    Check("V203", HINT, "预算执行数超过全年预算（超支）", "超支时结转结余率计0分；请核实决算数。"),
    Check("V204", HINT, "“三公经费”实际超过预算", "“三公经费”完成数超过预算数时，“三公经费”变动率计0分。"),
    Check("V205", HINT, "在职人数超过编制数", "在职人员控制率超过100%时按超出比例扣分；请核实人数口径。"),
    Check("V206", ERROR, "分母为0，比率无法计算", "比率的分母（预算数、编制数、计划数等）为0而分子不为0，无法评分。"),
    Check("V207", HINT, "完成数超过计划数", "实际完成数、及时完成数、质量达标数不应超过计划工作数；重点完成数不应超过交办数。"),
    Check("V208", HINT, "分母为0，按评分标准约定计分", "如采购预算为0却有采购支出：评分档案对这种情况有约定（计满分或0分），请核实数据。"),
    Check("V210", ERROR, "部分大于整体", "公用经费、“三公经费”、政府采购、重点支出、基本支出、项目支出的实际数不能大于预算执行数，"
          "其预算数和调整剔除数不能大于全年预算，人员经费不能大于基本支出；多半是口径或单位（元/万元）填错了。"),
    Check("V211", HINT, "分项之和与合计不符", "填写了基本支出、项目支出时，两者之和应等于预算执行数；填写了“三公经费”的"
          "三项（因公出国（境）、公务用车、公务接待）时，其和应等于“三公经费”实际数（预算数、上年数同理）；政府采购的货物、工程、"
          "服务之和应等于采购金额（上年同理）；负债总额与净资产之和应等于资产总额（允许 0.01 万元误差，未填的分项按0计）。"),
    Check("V212", HINT, "比率超过1000%", "评分用到的比率超过1000%（如公用经费实际是预算的十几倍），多半是某个数字填错或单位不一致。"),
    Check("V213", HINT, "相关金额相差1000倍以上", "同一事项的预算与实际、本年与上年相差1000倍以上，多半是其中一个按元填写了"
          "（元与万元相差10000倍）。"),
    Check("V301", ERROR, "扣分记录：未知指标", "“指标”须为指标体系中的三级指标名称（从下拉列表选择）。"),
    Check("V302", ERROR, "扣分记录：子项不可扣分", "“子项”须为该指标可扣分的子项（①②…），整个指标填“—”。"),
    Check("V303", ERROR, "扣分记录：扣分不是数字", "“扣分”填写分数（如 0.5），不能为空、文本或负数。"),
    Check("V304", HINT, "扣分记录：一行超过子项分值", "一行的扣分超过该子项（或整个指标）的分值时，与几行合计超过时一样按“扣完为止”计分"
          "（一票否决的子项扣任何分数都使本指标得0分）；请核实扣分。"),
    Check("V305", ERROR, "扣分记录：缺少事由", "每条扣分都要写明事由，评分说明和报告会引用它。"),
    Check("V306", HINT, "扣分记录：与评分标准的扣分额不同", "评分标准规定了每例扣分额或固定分值；评价组可以酌情扣分，"
                                             "但请在事由中说明理由。"),
    Check("V307", HINT, "扣分记录：合计超过子项分值", "同一子项的扣分合计超过分值时按“扣完为止”计分。"),
    Check("V308", ERROR, "扣分记录：名称不是下拉列表中的写法", "指标和子项须用下拉列表中的写法（如“①”而不是“1”），"
                                           "否则 Excel 中的实时公式统计不到这条扣分。"),
    Check("V309", ERROR, "扣分记录：超出可统计的行", "扣分记录只有第2–201行计入得分（工作簿公式统计的范围）；"
                                      "写在后面的行任何程序都不计分，请移到前面的空行，或把同类扣分合并为一行。"),
    Check("V401", HINT, "计算单元格被改写", "指标计算、评分表、汇总中的公式属于程序：被删除、改成数值或其他公式时，"
                                 "计算评分（preval score 或“计算评分”）恢复原公式并在此列出。"
                                 "Excel、WPS、LibreOffice 保存时改写的公式写法不算改写。"),
    Check("V402", HINT, "自评总分与计算不符", "填写了部门自评总分时，与按填报数据计算的总分比较；相差较大说明自评依据不足。"),
    Check("V403", HINT, "指标自评得分与计算不符", "评分表“部门自评得分”列（选填）与按填报数据计算的得分相差0.01分及以上。"),
    Check("V404", HINT, "自报比率与计算不符", "评分表“部门自报比率”列（选填）与按填报数据计算的比率（保留两位小数的百分比）不同，"
                                      "如自评报告印的“办结率96.42%”而104/108=96.30%。"),
    Check("V405", HINT, "定稿导出后被修改", "定稿只有数值；导出时记下了全部输入、扣分记录和得分的校验值，"
                                   "之后有改动的，校验、报告和批量汇总都会指出。"),
    Check("V406", HINT, "定稿：自行添加的公式没有计算结果", "导出定稿时，自行添加的工作表中的公式取其保存时的计算结果；"
                                           "没有保存结果的（例如由其他程序生成、从未在 Excel 中保存过），定稿中为空。"),
    Check("V407", HINT, "工作簿的评分档案与本机不同", "工作簿保存着制作时的评分档案；"
          "本机安装的同名档案与它不同时（档案已更新，或工作簿中的被改动）提示，并按本机安装的档案评分：计算评分写出的副本中，公式、评分标准和保存的档案一并换成本机的。"
          "确需按工作簿保存的档案评分时加 --carried-rubric（批量汇总不接受，见 V412）。"),
    Check("V408", HINT, "工作簿保存的评分档案被改动过", "“指标体系”表隐藏列中保存的评分档案与其校验值不符（被手工改动），"
          "不采用，改按本机安装的同名档案评分。"),
    Check("V409", HINT, "评分公式已由 preval 更新", "工作簿中的公式是早先版本的 preval 写入的，本版本修正了它的计算"
          "（例如“超支”按金额比较）；计算评分时换成新公式。不是有人改动了工作簿。"),
    Check("V410", HINT, "工作簿保存的评分档案无法使用", "“指标体系”表隐藏列中保存的评分档案校验值相符，但本程序无法读取"
          "（例如由更新版本的 preval 生成，含有本程序不认识的计分方式），或其名称与“评分档案”单元格不符；本次按本机安装的同名档案评分。"),
    Check("V411", ERROR, "评分档案名称与本机档案相似", "工作簿的评分档案名称或标题与本机安装的某个档案看起来相同"
          "（多了空格、全角字符或看不见的字符），却不是同一个：批量汇总会为它单独排名，而排名表的标题看起来一样。请用本机档案的名称重新生成工作簿。"),
    Check("V412", ERROR, "批量汇总：工作簿的评分档案与本机不同", "批量汇总只按本机安装的评分档案排名：工作簿保存的同名档案与之不同"
          "（被改动，或按旧版档案制作）时不计入排名，并列出不同之处。请按本机档案重新计算，或核实档案来源。"),
    Check("V413", HINT, "汇总保存的得分与计算不符", "汇总表的总分、评价等级和各部分得分保存着上次计算的数值，其他工作簿链接它、"
          "不重新计算的软件显示它；保存的数值与按工作簿数据计算的不同（被手工改过，或在计算后改了数据），请重新计算评分后再报送。"),
    Check("V414", HINT, "定稿未签名", "定稿没有评价机构的签名：任何人都能改动数字后重新导出或重算校验值。"
          "用 preval finalize 工作簿 --sign 评价机构.key 导出签名的定稿；财政局用 preval verify 或 --trust 核验。"),
    Check("V415", ERROR, "定稿签名无效或不受信任", "定稿的签名与内容不符（签名后被改动），或给出 --trust 时，定稿没有签名、"
          "签名的密钥不在信任的公钥中。这份定稿的数字不能确认是评价机构导出的。"),
    Check("V416", ERROR, "未封存的定稿", "工作簿的评分表只有数值没有公式，却没有定稿标记或其校验值：定稿的封存信息被删除了，"
          "其中的数字无法确认。请向评价机构索取原定稿。"),
    Check("V417", ERROR, "评分档案与本机不同且指标结构不同", "工作簿保存的评分档案与本机安装的同名档案不同，"
          "而且指标、子项或一级指标也不同，无法在这份工作簿中按本机档案评分。请用 preval new --profile 档案名称 生成新工作簿后填入数据；"
          "确需按工作簿保存的档案评分时加 --carried-rubric。"),
    Check("V501", ERROR, "名称不指向模板的单元格", "每个输入和结果的名称（公式→名称管理器）须指向模板中它的那个单元格："
          "preval 和工作簿公式都按名称取数，名称被改指到别处（隐藏的列、另一张表）时，算的不是黄色单元格中看到的数字。"
          "插入或删除行、剪切移动单元格也会使名称移位；"
          "请撤销这些改动，或用 preval new 生成新工作簿后重新填入。"),
    Check("V502", ERROR, "名称被工作表级的同名名称遮盖", "某张工作表另定义了与输入或结果同名的名称（作用范围为该工作表）："
          "在该表中公式按它计算，各软件的读法也不一致。请在名称管理器中删除它。"),
    Check("V503", ERROR, "工作表名称与程序的工作表相似", "有一张工作表的名称看起来与程序的工作表相同（多了空格、全角字符或看不见的字符），"
          "显示的和计算的可能不是同一张表。请删除或改名。"),
    Check("V504", ERROR, "程序的工作表被隐藏", "填表说明、基础信息、财务数据、扣分记录、指标计算、评分表等工作表不应隐藏："
          "隐藏的表中的数字照样参与计算，却没有人看得到。请取消隐藏（深度隐藏的表需在 VBA 中改回 xlSheetVisible）。"),
    Check("V505", HINT, "自行添加的深度隐藏工作表", "工作簿中有自行添加的、Excel 界面中无法取消隐藏的工作表（veryHidden）；它不参与评分，"
          "但可能藏有与报送数字不同的内容，请确认其用途。"),
    Check("V506", ERROR, "单元格格式显示的不是数值", "输入单元格和扣分的数字格式须显示数值本身：写入固定文字或数字（如 \"1660.95\"）、"
          "隐藏数值（;;;）、千位缩放（#,##0,）、带“元”“亿”等改变数量级的字样、按条件换用格式，都会使看到和打印的数字与参与计算的不同。"
          "请把单元格格式改回模板的格式（开始→数字→常规或数值）。"),
    Check("V507", HINT, "打开时会访问外部位置", "工作簿中有外部链接（其他工作簿）、链接的图片或对象、数据连接或网页查询："
          "任何人打开它时 Excel 都会去访问这些位置（网络共享、网址）。导出定稿时删除它们；报送前请确认来源。"),
)}


@dataclass(frozen=True)
class Problem:
    id: str
    severity: str
    sheet: str
    cell: str
    name: str
    message: str
    expected: str = ""
    found: str = ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict:
        return asdict(self)


def shown(value: object) -> str:
    """A value as the workbook shows it: 1500, 1660.95, never 1.5E+3 or 1500.0."""
    if value is None:
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)[:60]


def problem(check_id: str, sheet: str, cell: str, name: str, message: str,
            expected: object = "", found: object = "") -> Problem:
    check = CATALOGUE[check_id]
    return Problem(check.id, check.severity, sheet, cell, name, message, str(expected), shown(found))


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def catalogue_markdown() -> str:
    lines = ["# 校验规则（preval validate / score / 功能区“校验”）", "",
             "本文件由 `python -m addin.checks > docs/checks.md` 生成，请勿手工修改。", "",
             "“错误”须改正后才能计算评分；“提示”不影响计算，请核实。校验只读取数据，从不修改输入。", "",
             "| 编号 | 级别 | 检查 | 说明 |", "|---|---|---|---|"]
    lines += [f"| {c.id} | {c.severity} | {c.title} | {c.doc} |" for c in CATALOGUE.values()]
    return "\n".join(lines) + "\n"
