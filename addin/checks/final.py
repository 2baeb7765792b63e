"""A 定稿 knows it is one. ``preval finalize`` writes two workbook-scoped names: 定稿 (when
it was frozen) and 定稿校验 (a digest of what it showed then: every input, every 扣分记录
row, every computed cell). V405 recomputes the digest, so an edit after the export is
reported; and a 定稿 is never rescored (``addin.scoring``), since it has no formulas left.

The digest reads values through ``Book``, in a form openpyxl and calamine agree on (a
number as its shortest decimal), so ``validate`` and ``batch`` see the same 定稿 alike."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

from addin.books.protocol import ReadBook
from addin.case import read_case
from addin.checks import Problem, problem
from addin.checks.formulas import content_key
from addin.seal import BROKEN, SEAL_NAME, UNSIGNED, UNTRUSTED, Verdict, verify
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.formulas import formula_cells
from udfs.profile import Profile


def _constant(book: ReadBook, name: str) -> str | None:
    """A name holding a text constant ('"…"'), unquoted; None when there is none."""
    text = book.name_text(name)
    if text is None or len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    return text[1:-1].replace('""', '"')


STAMP_PREFIX = "定稿：以下数值由 preval 于 "  # a 定稿's status line (all a 定稿 of template 0.4 had)


def final_stamp(book: ReadBook) -> str | None:
    """When the workbook was frozen as a 定稿, or None when it is not one."""
    stamp = _constant(book, L.FINAL_NAME)
    if stamp is not None:
        return stamp
    status = book.get(L.SCORES, "A2") if L.SCORES in book.sheet_names() else None
    if isinstance(status, str) and status.startswith(STAMP_PREFIX):
        return status[len(STAMP_PREFIX):].split(" 计算", 1)[0]
    return None


def _canonical(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        # 15 significant digits, as Excel keeps: writers differ in the 16th and 17th
        return format(Decimal(format(float(value), ".15g")).normalize(), "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def digest(book: ReadBook, profile: Profile, version: str = versions.CURRENT) -> str:
    """What a 定稿 shows: its inputs, its 扣分记录 rows and its computed cells."""
    case = read_case(book)
    fields: list[tuple[object, ...]] = [(name, loc.value) for name, loc in sorted(case.inputs.items())]
    fields += [(row, *values) for row, values in case.findings]
    fields += [(f"{sheet}!{cell}", book.get(sheet, cell)) for sheet, cell in sorted(formula_cells(profile, version))]
    h = hashlib.sha256()
    for field in fields:  # unit and record separators: no value can fake a boundary
        h.update(("\x1f".join(map(_canonical, field)) + "\x1e").encode())
    return "sha256:" + h.hexdigest()


def rubric_digest(profile: Profile) -> str:
    return "sha256:" + content_key(profile)  # the digest of its canonical text, computed once a profile


def check_final(book: ReadBook, profile: Profile, version: str = versions.CURRENT,
                trusted: dict[str, str] | None = None) -> tuple[list[Problem], Verdict]:
    """V405 the 定稿 no longer shows what it showed when it was exported; V416 its digest was
    removed; V414 it is not signed; V415 its signature does not verify (or, with ``trusted``,
    is missing or by a key not trusted). With the seal's verdict: the content is read once."""
    stamp, stored = final_stamp(book), _constant(book, L.FINAL_DIGEST_NAME)
    assert stamp is not None
    shows = digest(book, profile, version)
    out = []
    if stored is None and version != "0.4":  # a 定稿 of template 0.4 had no digest to compare with
        out.append(problem("V416", L.GUIDE, "", "定稿", f"这份定稿（{stamp} 导出）的校验值（名称“{L.FINAL_DIGEST_NAME}”）被删除了，"
                           "无法确认其中的数字仍是导出时的", "定稿校验值", "无"))
    elif stored is not None and stored != shows:
        out.append(problem("V405", L.GUIDE, "", "定稿", f"这份定稿于 {stamp} 导出后被修改过（输入、扣分记录或得分与导出时不同），"
                           "其中的数字已不是 preval 计算的结果", "导出时的内容", "已修改"))
    verdict = verify(_constant(book, SEAL_NAME), shows, rubric_digest(profile), trusted)
    if verdict.status == UNSIGNED and trusted is None:
        out.append(problem("V414", L.GUIDE, "", "定稿", f"这份定稿（{stamp} 导出）没有签名：无法确认由谁导出",
                           "评价机构的签名", "未签名"))
    elif verdict.status == UNSIGNED:
        out.append(problem("V415", L.GUIDE, "", "定稿", f"这份定稿（{stamp} 导出）没有签名，不能确认由受信任的评价机构导出",
                           "受信任的签名", "未签名"))
    elif verdict.status == BROKEN:
        out.append(problem("V415", L.GUIDE, "", "定稿", f"这份定稿的签名（署名“{verdict.signer}”）与内容不符："
                           "签名后内容或签名被改动过", "签名有效", "签名无效"))
    elif verdict.status == UNTRUSTED:
        out.append(problem("V415", L.GUIDE, "", "定稿", f"这份定稿由署名“{verdict.signer}”的密钥（{verdict.fingerprint}）签名，"
                           "该密钥不在信任列表中", "受信任的签名", verdict.fingerprint))
    return out, verdict


def check_unsealed(book: ReadBook) -> list[Problem]:
    """V416: preval's score sheet holds values where its formulas belong and the workbook
    carries no 定稿 marker — a 定稿 whose marker and seal were removed, then edited."""
    if L.SCORES not in book.sheet_names() or book.has_formulas(L.SCORES):
        return []
    return [problem("V416", L.SCORES, "", "定稿", "评分表中没有公式（只有数值），却没有定稿标记：这是去掉了封存信息的定稿，"
                    "其中的数字无法确认", "公式，或有效的定稿标记", "只有数值")]
