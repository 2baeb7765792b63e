"""The 部门决算 tables preval reads, each known by its title and the titles in use for it
(the national 公开表 names, Hunan's older ones, the 决算 software's sheet names). A table is
recognised by its title, never by where it stands: Hunan departments publish the 三公 table
as table 7 or as table 9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from addin.accounts.tables import plain

TOTALS = "收入支出决算总表"
SPENDING = "支出决算表"
INCOME = "收入决算表"
GRANTS_TOTALS = "财政拨款收入支出决算总表"
GENERAL = "一般公共预算财政拨款支出决算表"
BASIC = "一般公共预算财政拨款基本支出决算表"
THREE = "财政拨款“三公”经费支出决算表"
FUNDS = "政府性基金预算财政拨款收入支出决算表"
CAPITAL = "国有资本经营预算财政拨款收入支出决算表"
RELATED = "预算支出相关信息表"  # the 决算 software's 财决附01表: 年初预算数
STAFF = "机构运行信息表"  # 财决附03表: 编制人数, 实有人数 (counts of people, not amounts)


@dataclass(frozen=True)
class Kind:
    name: str  # the national template's title
    aliases: tuple[str, ...] = ()


KINDS = (
    Kind(TOTALS, ("部门收支决算总表", "收支决算总表", "部门收入支出决算总表")),
    Kind(INCOME, ("部门收入决算表", "收入决算总表")),
    Kind(SPENDING, ("部门支出决算表", "支出决算总表")),
    Kind(GRANTS_TOTALS, ("财政拨款收支决算总表", "部门财政拨款收支决算总表")),
    Kind(GENERAL, ("一般公共预算财政拨款支出决算明细表", "一般公共预算支出决算表", "一般公共预算财政拨款支出决算功能分类表")),
    Kind(BASIC, ("一般公共预算财政拨款基本支出决算明细表", "一般公共预算基本支出决算表", "基本支出决算明细表",
                 "一般公共预算财政拨款基本支出决算经济分类表")),
    Kind(THREE, ("一般公共预算财政拨款“三公”经费支出决算表", "“三公”经费支出决算表", "财政拨款“三公”经费支出决算表",
                 "一般公共预算“三公”经费支出决算表")),
    Kind(FUNDS, ("政府性基金预算财政拨款支出决算表", "政府性基金预算财政拨款收入支出决算明细表")),
    Kind(CAPITAL, ("国有资本经营预算财政拨款支出决算表",)),
    Kind(RELATED),
    Kind(STAFF, ("机构人员情况表",)),
)
UNITLESS = (STAFF,)  # its figures are people: no 金额单位 needed

# what may stand around a title: "表1", "附表7", "公开07表", "(财决01表)", "Z01", a unit's name
_PREFIX = re.compile(r"^(?:附?表[\d一二三四五六七八九十]+(?:-\d+)?[、.．:：]?|[A-Z]\d{2}(?:_\d)?|\d+[-、.．])")
_SUFFIX = re.compile(r"[(（][^()（）]*表[)）]$|[(（]续[)）]$")
_ALIASES = sorted(((plain(alias), kind.name) for kind in KINDS for alias in (kind.name, *kind.aliases)),
                  key=lambda pair: -len(pair[0]))
MAX_TITLE = 60  # a line longer than this is a sentence, not a title


_OWNER = re.compile(r"^(?P<unit>.{2,40}?)(?P<year>20\d\d)年度?(?:部门|单位)?$")


def _title_words(text: object) -> str | None:
    words = plain(text)
    if not words or len(words) > MAX_TITLE or words.startswith("注"):
        return None
    return _SUFFIX.sub("", _PREFIX.sub("", words))


def owner_of(text: object) -> tuple[str, int] | None:
    """The unit and the year a table's title names before the table's name
    ("湖南省某某县自然资源局2023年度部门收支决算总表" → 湖南省某某县自然资源局, 2023); None
    when the title names neither (the 决算 software's sheet names)."""
    words = _title_words(text)
    for alias, _name in _ALIASES:
        if words and words.endswith(alias):
            m = _OWNER.match(words[: -len(alias)])
            return (m.group("unit"), int(m.group("year"))) if m else None
    return None


_COVER = re.compile(r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、)?\s*"  # "第二部分 …"
                    r"(?P<unit>\S.{1,40}?)\s*(?P<year>20\d\d)\s*年度?\s*(?:部门|单位)决算(?:表|公开)?$")


def owner_in_line(line: str) -> tuple[str, int] | None:
    """The unit and year of a cover or page-head line: "中共上海市普陀区委社会工作部 2024 年度部门决算"."""
    m = _COVER.match(line.strip())
    return (m.group("unit").strip(), int(m.group("year"))) if m else None


def kind_of(text: object) -> str | None:
    """The kind a printed title names ("附表7 上海市XX局2024年度财政拨款“三公”经费支出决算表",
    "Z05 一般公共预算财政拨款基本支出决算表(财决05表)"), None for any other text. The longest
    title that ends the text wins, so 财政拨款收入支出决算总表 is not a 收入支出决算总表."""
    words = _title_words(text)
    for alias, name in _ALIASES:
        if words and words.endswith(alias):
            return name
    return None
