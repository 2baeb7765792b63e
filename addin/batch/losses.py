"""指标失分分析: after the ranking a bureau asks where its departments are weakest. Per
indicator over the units of one ranking: the average score and score rate, how many units
lost points, the points lost in all, and the most frequent 扣分 reasons."""

from __future__ import annotations

from collections import Counter

from addin.batch.run import Outcome

TOP_REASONS = 3
COLUMNS = ("序号", "一级指标", "二级指标", "三级指标", "分值", "平均得分", "平均得分率", "失分单位数", "单位数", "失分合计",
           "主要扣分原因")


def losses(outcomes: list[Outcome]):
    """One row per indicator, weakest (lowest average score rate) first; a DataFrame."""
    import pandas as pd

    rows = [{"序号": i.no, "一级指标": i.level1, "二级指标": i.level2, "三级指标": i.name, "分值": i.weight,
             "得分": i.score, "失分": round(i.weight - i.score, 2), "事由": i.causes,
             "单位": o.row["单位名称"]}  # type: ignore[index]
            for o in outcomes for i in o.indicators]
    if not rows:
        return pd.DataFrame(columns=list(COLUMNS))
    units = pd.DataFrame(rows)
    keys = ["序号", "一级指标", "二级指标", "三级指标", "分值"]
    table = units.groupby(keys, sort=True).agg(平均得分=("得分", "mean"), 失分单位数=("失分", lambda s: int((s > 0).sum())),
                                               单位数=("单位", "nunique"), 失分合计=("失分", "sum")).reset_index()
    table["平均得分率"] = (table["平均得分"] / table["分值"]).round(4)
    table["平均得分"] = table["平均得分"].round(2)
    table["失分合计"] = table["失分合计"].round(2)
    table["主要扣分原因"] = [_top_reasons(units[units["序号"] == no]) for no in table["序号"]]
    table = table.sort_values(["平均得分率", "序号"], kind="stable")
    return table[list(COLUMNS)]


def _top_reasons(rows) -> str:
    """The reasons most units were given, with how many: a reason twice in one unit counts once."""
    counts = Counter(reason for unit_reasons in rows.loc[rows["失分"] > 0, "事由"] for reason in dict.fromkeys(unit_reasons))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]
    return "\n".join(f"{reason}（{n}个单位）" for reason, n in ranked)  # a reason may contain "；"
