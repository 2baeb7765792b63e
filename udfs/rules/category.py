"""``category``: the points of the category the input names."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from udfs.errors import RuleValueError
from udfs.money import fmt_num
from udfs.rules import fields as F
from udfs.rules.base import INPUT, Rule
from udfs.rules.formula import num, text, trimmed
from udfs.rules.yesno import ValueParams, as_typed


@dataclass(frozen=True, kw_only=True)
class CategoryParams(ValueParams):
    map: dict[str, Decimal] = field(default_factory=dict)  # category -> points, in the rubric's order
    synonyms: dict[str, str] = field(default_factory=dict)  # another spelling -> its category


@dataclass(frozen=True)
class _Table(F.Field):
    """名称=值 lines in the rubric workbook: points by category, or a spelling's category."""

    numbers: bool = True

    def read(self, value, options, where, kind):
        if self.numbers:
            return {str(k): F.decimal(v, f"{where}.map.{k}") for k, v in value.items()}
        return {str(k): str(v) for k, v in value.items()}

    def data(self, value):
        if not value:
            return None
        return {k: F.toml_number(v) for k, v in value.items()} if self.numbers else dict(value)

    def to_cells(self, data):
        return {self.key: "\n".join(f"{k}={F.plain(v) if self.numbers else v}" for k, v in (data or {}).items()) or None}

    def from_cells(self, cells):
        table: dict[str, object] = {}
        for line in cells.lines(self.key):
            name, sep, written = line.replace("＝", "=").partition("=")
            if not sep or not name.strip():
                cells.bad(self.key, f"“{line}”应写成 名称=值，如 优秀=6")
                continue
            if self.numbers:
                try:
                    table[name.strip()] = F.cell_number(written)
                except ValueError as exc:
                    cells.bad(self.key, str(exc))
            else:
                table[name.strip()] = written.strip()
        return table or None


class Category(Rule):
    """The points the rubric gives the category the input names; a synonym counts as its
    category ("已整改" as 全部整改); any other text cannot be scored. The categories are
    tested in the rubric's order.

    附件1 重点绩效评价整改情况: "上轮重点评价问题全部整改，计3分；上轮重点评价问题部分整改，计1分；
    上轮重点评价问题未整改且无整改情况说明的不计分". Example: 部分整改 scores 1; 已整改 scores 3.
    """

    kind = "category"
    title = "等级计分"
    scored_from = INPUT
    params = CategoryParams
    fields = (F.INPUT, _Table("map", "等级与分值", ("map",)), _Table("synonyms", "同义写法", ("synonyms",), numbers=False))
    _STATE = {"input": "整改情况", "points": 3, "map": {"全部整改": 3, "部分整改": 1, "未整改": 0},
              "synonyms": {"已整改": "全部整改"}}
    examples = ((_STATE, "部分整改", "1"), (_STATE, "已整改", "3"), (_STATE, "未整改", "0"), (_STATE, " 全部整改 ", "3"))

    def score(self, part, value, options):
        text = as_typed(value)
        params = part.params
        key = params.synonyms.get(text, text)
        if key not in params.map:
            allowed = "、".join(params.map)
            raise RuleValueError(f"{part.label}应为{allowed}之一，实际为“{text or '空'}”")
        points = params.map[key]
        return points, f"{part.label}：{key}，计{fmt_num(points)}分"

    def formula(self, part, x, options):
        return self._chosen(part, x, lambda key: num(part.params.map[key]))

    def words_formula(self, part, x, options):
        return self._chosen(part, x, lambda key: text(f"{part.label}：{key}，计{fmt_num(part.params.map[key])}分"))

    @staticmethod
    def _chosen(part, x, said) -> str:
        """What ``said`` gives for the category the cell names (a synonym: its category)."""
        typed = trimmed(x)
        params = part.params
        choices = [(key, key) for key in params.map]
        choices += [(alias, key) for alias, key in params.synonyms.items() if key in params.map]
        out = "NA()"
        for spelling, key in reversed(choices):
            out = f"IF({typed}={text(spelling)},{said(key)},{out})"
        return out

    def edges(self, part):
        return (*part.params.map, *part.params.synonyms, "", "其他", None)


RULE = Category()
