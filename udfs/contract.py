"""The defined-name contract (design.md, "Contract"): every input of the standard workbook.

Other tools and acceptance tests fill workbooks by these names, so they change only by
adding. The kind decides how a raw cell value is converted (see ``udfs.inputs``) and how
the workbook builder formats and validates the cell.
"""

from __future__ import annotations

from dataclasses import dataclass

# kinds
TEXT = "text"  # free text (单位名称)
YEAR = "year"  # a four-digit year
COUNT = "count"  # a non-negative whole number (人数, 工作数, 份数)
MONEY = "money"  # 万元, 2 decimals, non-negative
RATE = "rate"  # a fraction, formatted as % (满意率)
CHOICE = "choice"  # one of ``choices``
POINTS = "points"  # a score in 分, 0–100

YES, NO = "是", "否"


@dataclass(frozen=True)
class InputSpec:
    name: str
    kind: str
    label: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    required: bool = True
    # added after template 0.4: a workbook of an older template has no such name, and a blank
    # (or absent) cell counts as 0 where ``blank_is_zero`` (an amount a budget may not have)
    since: str = "0.4"
    blank_is_zero: bool = False
    after: str = ""  # shown on its sheet after this input (NAMES keep their order: snapshot rows)
    report: bool = False  # a text the report prints (the 报告内容 sheet: multi-line, optional)
    default: str = ""  # what a new workbook holds in the cell (the usual wording, to edit)
    signed: bool = False  # an amount that may be below 0 (净资产 of a unit whose debts exceed its assets)


_QUALITY = ("优秀", "良好", "合格", "不合格")
_RECTIFY = ("全部整改", "部分整改", "未整改", "无上轮问题")

FIGURES: tuple[InputSpec, ...] = (  # the typed figures and choices; then the report's texts
    InputSpec("单位名称", TEXT, "部门（单位）名称"),
    InputSpec("评价年度", YEAR, "评价年度", "年"),
    InputSpec("编制数", COUNT, "核定编制数", "人"),
    InputSpec("在职人数", COUNT, "实有在职人数（决算口径）", "人"),
    InputSpec("三公预算本年", MONEY, "本年度“三公经费”预算数", "万元"),
    InputSpec("三公预算上年", MONEY, "上年度“三公经费”预算数", "万元"),
    InputSpec("三公实际", MONEY, "本年度“三公经费”实际支出数", "万元"),
    InputSpec("重点支出预算", MONEY, "重点支出预算数（剔除往来款等）", "万元"),
    InputSpec("重点支出实际", MONEY, "重点支出实际数（剔除往来款等）", "万元"),
    InputSpec("非税收入预算", MONEY, "非税收入预算数（无则填0）", "万元"),
    InputSpec("非税收入实际", MONEY, "非税收入实际完成数（无则填0）", "万元"),
    InputSpec("年初预算", MONEY, "年初预算数", "万元"),
    # the README says "没有的不填，按0计": a budget that was never raised or cut has no 追加/追减
    InputSpec("追加预算", MONEY, "本年追加预算数（无则不填）", "万元", blank_is_zero=True),
    InputSpec("追减预算", MONEY, "本年追减预算数（填正数，无则不填）", "万元", blank_is_zero=True),
    InputSpec("全年预算", MONEY, "全年预算数（调整后）", "万元"),
    InputSpec("预算执行数", MONEY, "本年预算执行数（决算支出）", "万元"),
    InputSpec("调整剔除数", MONEY, "不计入预算调整率的调整数（政策性、不可抗力、临时交办、往来款；无则不填）", "万元",
              blank_is_zero=True),
    InputSpec("结转结余", MONEY, "年末结转和结余（决算数）", "万元"),
    InputSpec("公用经费预算", MONEY, "公用经费预算数", "万元"),
    InputSpec("公用经费实际", MONEY, "公用经费实际支出数", "万元"),
    InputSpec("采购预算", MONEY, "政府采购预算数", "万元"),
    InputSpec("采购实际", MONEY, "实际政府采购金额", "万元"),
    InputSpec("绩效监控", CHOICE, "是否实施项目资金绩效运行监控", choices=(YES, NO)),
    InputSpec("工作质量等级", CHOICE, "党委政府绩效考核评估等级", choices=_QUALITY),
    InputSpec("计划工作数", COUNT, "计划工作数", "项"),
    InputSpec("实际完成数", COUNT, "实际完成工作数", "项"),
    InputSpec("及时完成数", COUNT, "按时限完成的工作数", "项"),
    InputSpec("质量达标数", COUNT, "质量达标的工作数", "项"),
    InputSpec("重点交办数", COUNT, "重点工作交办或下达数", "项"),
    InputSpec("重点完成数", COUNT, "重点工作实际完成数", "项"),
    InputSpec("满意率", RATE, "社会公众或服务对象满意率", "%"),
    InputSpec("问卷份数", COUNT, "回收的有效问卷份数", "份"),
    InputSpec("整改情况", CHOICE, "上轮重点评价问题整改情况", choices=_RECTIFY),
    InputSpec("严重违纪", CHOICE, "评价年度是否出现严重违纪违法事件", choices=(YES, NO)),
    # optional: the department's own figure, compared with the computed total (a 提示)
    InputSpec("自评总分", POINTS, "部门自评报告中的自评总分（没有可不填）", "分", required=False),
    # template 0.6: revenue as a budget is composed (全年 = 年初 + 追加 − 追减 +
    # 上年结转 + 其他收入); the parts of 三公经费 and 项目支出, for rubrics and checks that use them
    InputSpec("上年结转", MONEY, "上年结转和结余（本年收入中的上年结转资金，无则不填）", "万元", required=False,
              since="0.6", blank_is_zero=True, after="追减预算"),
    InputSpec("其他收入", MONEY, "其他收入（如代管、往来资金，无则不填）", "万元", required=False,
              since="0.6", blank_is_zero=True, after="上年结转"),
    InputSpec("基本支出", MONEY, "预算执行数中的基本支出（选填）", "万元", required=False, since="0.6", after="预算执行数"),
    InputSpec("项目支出", MONEY, "预算执行数中的项目支出（选填）", "万元", required=False, since="0.6", after="基本支出"),
    InputSpec("项目预算", MONEY, "项目支出预算数（本年实际拨入，选填）", "万元", required=False, since="0.6", after="项目支出"),
    # for rubrics that score them: last year's 结转结余 (结转结余变动率) and 支付进度
    # as the finance system reports it (a percentage typed in)
    InputSpec("上年结转结余", MONEY, "上年末结转和结余（选填，评分档案有结转结余变动率时必填）", "万元", required=False,
              since="0.6", after="结转结余"),
    InputSpec("支付进度", RATE, "预算支付进度（财政一体化系统显示的百分比，选填）", "%", required=False, since="0.6",
              after="满意率"),
    # the report's detail: last year's 三公 actual and its parts, 采购 by kind
    InputSpec("三公实际上年", MONEY, "上年度“三公经费”实际支出（决算数，选填）", "万元", required=False, since="0.6",
              after="三公实际"),
    InputSpec("采购货物", MONEY, "政府采购中货物支出（选填）", "万元", required=False, since="0.6", after="采购实际"),
    InputSpec("采购工程", MONEY, "政府采购中工程支出（选填）", "万元", required=False, since="0.6", after="采购货物"),
    InputSpec("采购服务", MONEY, "政府采购中服务支出（选填）", "万元", required=False, since="0.6", after="采购工程"),
    InputSpec("出国经费", MONEY, "“三公经费”中因公出国（境）费实际支出（选填）", "万元", required=False, since="0.6",
              after="三公实际"),
    InputSpec("公务用车经费", MONEY, "“三公经费”中公务用车购置及运行费实际支出（选填）", "万元", required=False,
              since="0.6", after="出国经费"),
    InputSpec("公务接待经费", MONEY, "“三公经费”中公务接待费实际支出（选填）", "万元", required=False, since="0.6",
              after="公务用车经费"),
    InputSpec("出国经费上年", MONEY, "上年度“三公经费”中因公出国（境）费实际支出（选填）", "万元", required=False,
              since="0.6", after="公务接待经费"),
    InputSpec("公务用车经费上年", MONEY, "上年度“三公经费”中公务用车购置及运行费实际支出（选填）", "万元", required=False,
              since="0.6", after="出国经费上年"),
    InputSpec("公务接待经费上年", MONEY, "上年度“三公经费”中公务接待费实际支出（选填）", "万元", required=False,
              since="0.6", after="公务用车经费上年"),
)

# What the evaluation report says beyond the figures: typed on the 报告内容 sheet,
# all optional; an empty one is a visible 【待填写：…】 in the report, never a silent gap.
EVALUATION_STEPS = (
    "（一）核实数据。核实本年度部门整体支出数据的准确性、真实性，核查本年度和上年度部门整体支出情况，并进行比较分析。\n"
    "（二）查阅资料。查阅本年度预算安排、非税收入、预算追加、绩效目标、资金管理、经费支出、资产管理等相关文件资料和财务凭证。\n"
    "（三）实地查看。现场查看实物资产等。\n"
    "（四）问卷调查。对部门履行职责情况的公众满意度发放问卷，进行调查。\n"
    "（五）综合分析。归纳汇总提供的材料及自评报告，结合现场调查情况进行综合分析。\n"
    "（六）撰写评价报告。评价组对各项评价指标进行评价和评分，形成绩效评价报告。")


def _text(name: str, label: str, default: str = "", since: str = "0.6") -> InputSpec:
    return InputSpec(name, TEXT, label, required=False, since=since, report=True, default=default)


REPORT_TEXTS: tuple[InputSpec, ...] = (
    _text("评价机构", "评价机构名称（第三方评价报告的出具单位，如某会计师事务所）"),
    _text("文号", "报告文号，如 邵益会[2022]绩字第0001号"),
    _text("报告日期", "报告日期，如 2023年10月25日"),
    _text("评价依据", "开展评价所依据的文件，如《中华人民共和国预算法》《关于开展2023年度部门整体支出绩效评价工作的通知》"
                  "（邵财绩〔2023〕20号）等有关规定"),
    _text("机构设置", "部门的性质、级别、内设机构和下属单位（报告“部门基本情况”）"),
    _text("部门职责", "部门的主要职责，每行一条（报告“主要职责”）"),
    _text("评价工作情况", "评价的工作步骤，每行一步（已按通常做法预填，可修改）", EVALUATION_STEPS),
    _text("绩效总目标", "部门年度绩效总目标和具体绩效指标，每行一条"),
    _text("绩效指标完成情况", "主要绩效指标的完成情况（报告会先列出各项比率），每行一条"),
    _text("职责履行情况", "职责履行和主要绩效情况，可写几段（Alt+Enter 换行）"),
    _text("问题及原因分析", "存在的问题及原因分析，每行一条（不填则按扣分记录和失分指标自动生成）"),
    _text("改进措施", "改进措施及有关建议，每行一条（不填则按失分的指标取评分档案中的建议）"),
)

# Added with template 0.8, after all earlier ones: NAMES keep their order (the input snapshot on
# 指标计算 has a row per name, in this order, in every version); ``after`` places them on their sheet.
ADDED_0_8: tuple[InputSpec, ...] = (
    # who the unit is to the finance system, and the report's detail of seed 003 二(二)(四)(五)
    # and seed 002 二(二): 人员经费 against 上年, each 三公 item's 预算, 采购 by kind against 上年, 资产
    InputSpec("单位编码", TEXT, "预算单位编码（财政一体化系统中的单位编码，选填；批量汇总据此识别单位）",
              required=False, since="0.8", after="单位名称"),
    # 基本支出 = 人员经费 (工资福利 + 对个人和家庭的补助) + 公用经费 (商品和服务 + 资本性): the
    # report gives 公用经费 as the difference (公用经费实际 above is the rubric's, projects included)
    InputSpec("人员经费", MONEY, "基本支出中的人员经费（工资福利支出+对个人和家庭的补助，选填）", "万元", required=False,
              since="0.8", after="基本支出"),
    InputSpec("基本支出上年", MONEY, "上年度基本支出（选填）", "万元", required=False, since="0.8", after="人员经费"),
    InputSpec("人员经费上年", MONEY, "上年度基本支出中的人员经费（选填）", "万元", required=False, since="0.8",
              after="基本支出上年"),
    InputSpec("出国经费预算", MONEY, "“三公经费”中因公出国（境）费预算数（选填）", "万元", required=False, since="0.8",
              after="公务接待经费上年"),
    InputSpec("公务用车经费预算", MONEY, "“三公经费”中公务用车购置及运行费预算数（选填）", "万元", required=False,
              since="0.8", after="出国经费预算"),
    InputSpec("公务接待经费预算", MONEY, "“三公经费”中公务接待费预算数（选填）", "万元", required=False, since="0.8",
              after="公务用车经费预算"),
    InputSpec("采购实际上年", MONEY, "上年度实际政府采购金额（选填）", "万元", required=False, since="0.8", after="采购服务"),
    InputSpec("采购货物上年", MONEY, "上年度政府采购中货物支出（选填）", "万元", required=False, since="0.8",
              after="采购实际上年"),
    InputSpec("采购工程上年", MONEY, "上年度政府采购中工程支出（选填）", "万元", required=False, since="0.8",
              after="采购货物上年"),
    InputSpec("采购服务上年", MONEY, "上年度政府采购中服务支出（选填）", "万元", required=False, since="0.8",
              after="采购工程上年"),
    InputSpec("资产总额", MONEY, "年末资产总额（选填）", "万元", required=False, since="0.8"),
    InputSpec("负债总额", MONEY, "年末负债总额（选填）", "万元", required=False, since="0.8", after="资产总额"),
    InputSpec("净资产", MONEY, "年末净资产（选填，负债超过资产时为负数）", "万元", required=False, since="0.8",
              after="负债总额", signed=True),
    InputSpec("固定资产", MONEY, "年末固定资产原值（选填）", "万元", required=False, since="0.8", after="净资产"),
    _text("其他需要说明的情况", "自评报告“其他需要说明的情况”（没有的写“无”）", since="0.8"),
    _text("项目负责人", "评价报告落款的项目负责人姓名", since="0.8"),
    _text("注册会计师", "评价报告落款的注册会计师姓名（可写几位，用顿号分隔）", since="0.8"),
)

# Added with template 0.10 (after all earlier ones, as ADDED_0_8): the department's words on its
# 基本支出 (seed 002 三(二)3: what it paid for) and seed 003 二(三)'s 项目管理情况 before its table
# of projects (项目明细)
ADDED_0_10: tuple[InputSpec, ...] = (
    _text("基本支出情况", "基本支出的使用情况（报告“基本支出情况”中数字之后、表格之前的一段，如保障了哪些人员和运转支出）",
          since="0.10"),
    _text("项目管理情况", "项目支出的管理情况（报告“项目支出情况”中项目明细表之前的一段，如专项经费的审批、绩效目标申报和自评）",
          since="0.10"),
)

INPUTS: tuple[InputSpec, ...] = (*FIGURES, *REPORT_TEXTS, *ADDED_0_8, *ADDED_0_10)
BY_NAME: dict[str, InputSpec] = {spec.name: spec for spec in INPUTS}
NAMES: tuple[str, ...] = tuple(spec.name for spec in INPUTS)


def display_order(specs) -> list[InputSpec]:
    """The inputs in the order a sheet shows them: each after the one it names (``after``)."""
    out: list[InputSpec] = []
    for spec in specs:
        if not spec.after:
            out.append(spec)
    for spec in specs:
        if spec.after:
            anchor = next((n for n, s in enumerate(out) if s.name == spec.after), len(out) - 1)
            out.insert(anchor + 1, spec)
    return out

# Header of the 扣分记录 sheet (contract: row 1, one finding per row from row 2).
FINDINGS_HEADER = ("指标", "子项", "扣分", "事由", "佐证材料")
