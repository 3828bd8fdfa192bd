"""Validating one imported row (plain data in, clean values or per-field errors out)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from shared.roles import UnknownRole, normalise

ROW_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填", "required"),
    "too_long": ("过长（最多 {max} 个字符）", "too long (at most {max} characters)"),
    "bad_kind": ("类型应为 committee/branch 或 党委/党总支/党支部",
                 "kind must be committee/branch or 党委/党总支/党支部"),
    "bad_bool": ("应为 是/否 或 true/false", "must be true/false or 是/否"),
    "bad_date": ("不是有效的日期（YYYY-MM-DD）", "not a valid date (YYYY-MM-DD)"),
    "future_date": ("日期不能晚于今天", "date lies in the future"),
    "bad_email": ("不是有效的邮箱地址", "not a valid email address"),
    "unknown_org": ("组织编码「{code}」不存在", "no org with code '{code}'"),
    "unknown_parent": ("上级组织编码「{code}」不存在", "no parent org with code '{code}'"),
    "cycle": ("上级组织形成循环", "the parent chain forms a cycle"),
    "branch_parent": ("上级组织「{code}」是党支部：党支部下不能再设组织，上级组织须为党委或党总支",
                      "'{code}' is a branch: a branch cannot hold an org, the parent must be a committee"),
    "holds_orgs": ("该组织下设有组织，不能改为党支部：党支部下不能再设组织",
                   "this org holds orgs, so it cannot become a branch: a branch cannot hold an org"),
    "not_in_scope": ("不在您管理的组织范围内", "outside the organisations you administer"),
    "duplicate": ("与第 {row} 行重复", "duplicates row {row}"),
    "failed": ("该行未能保存：{reason}", "this row could not be saved: {reason}"),
    "unknown_role": ("未知职务「{names}」（可填 书记、副书记、组织委员、宣传委员、纪检委员、委员 等或其英文键）",
                     "unknown role '{names}' (use 书记 secretary, 副书记 deputy_secretary, 组织委员 organizer … "
                     "or their English keys)"),
}

KINDS = {"committee": "committee", "branch": "branch", "党委": "committee", "党总支": "committee",
         "总支": "committee", "党支部": "branch", "支部": "branch"}
TRUE = {"true", "1", "yes", "y", "是", "√", "党员", "t"}
FALSE = {"false", "0", "no", "n", "否", "", "群众", "f"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"code": 64, "name": 100, "org_code": 64, "parent_code": 64, "employee_no": 64, "email": 200, "phone": 32}


def row_message(key: str, lang: str, **params: object) -> str:
    zh, en = ROW_MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an employee number typed as a number in Excel
    return str(value).strip()


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    return True if text in TRUE else False if text in FALSE else None


def parse_date(value: Any) -> date | None:
    """A date cell, ISO ``2001-07-01``, ``2001/7/1`` or ``2001.7.1``; ``None`` when not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text)  # the common case, in C
    except ValueError:
        text = text.replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_roles(value: Any) -> list[str]:
    """职务 as written (``书记、组织委员``, keys or titles) → the keys of ``shared.roles``;
    :class:`shared.roles.UnknownRole` names every unknown one."""
    text = _text(value)
    return normalise(text) if text else []


def _strings(raw: dict, keys: tuple[str, ...], required: tuple[str, ...], lang: str, errors: dict) -> dict:
    out = {}
    for key in keys:
        text = _text(raw.get(key))
        if key in required and not text:
            errors[key] = row_message("required", lang)
        elif len(text) > LIMITS.get(key, 200):
            errors[key] = row_message("too_long", lang, max=LIMITS.get(key, 200))
        out[key] = text or None
    return out


def clean_org(raw: dict, lang: str) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    row = _strings(raw, ("code", "name", "parent_code"), ("code", "name"), lang, errors)
    kind = KINDS.get(_text(raw.get("kind")).lower()) or KINDS.get(_text(raw.get("kind")))
    if kind is None:
        errors["kind"] = row_message("required" if not _text(raw.get("kind")) else "bad_kind", lang)
    row["kind"] = kind
    return row, errors


def clean_person(raw: dict, lang: str, today: date) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    row = _strings(raw, ("employee_no", "name", "org_code", "email", "phone"), ("employee_no", "name", "org_code"),
                   lang, errors)
    member = parse_bool(raw.get("party_member"))
    if member is None:
        errors["party_member"] = row_message("bad_bool", lang)
    row["party_member"] = bool(member)
    joined = raw.get("joined_party_on")
    row["joined_party_on"] = parse_date(joined) if _text(joined) else None
    if _text(joined) and row["joined_party_on"] is None:
        errors["joined_party_on"] = row_message("bad_date", lang)
    elif row["joined_party_on"] and row["joined_party_on"] > today:
        errors["joined_party_on"] = row_message("future_date", lang)
    if row["email"] and not EMAIL.match(row["email"]):
        errors["email"] = row_message("bad_email", lang)
    try:
        row["roles"] = parse_roles(raw.get("roles"))
    except UnknownRole as unknown:
        row["roles"] = []
        errors["roles"] = row_message("unknown_role", lang, names="、".join(unknown.names)[:100])
    return row, errors


def in_scope(path: str, scope: str | None) -> bool:
    """An org admin's import (``scope``: their org's path) writes only within their subtree."""
    return scope is None or path.startswith(scope)
