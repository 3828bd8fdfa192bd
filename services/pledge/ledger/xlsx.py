"""The ledger as a spreadsheet laid out for printing at a meeting: title row, org, period, Chinese headers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

COLUMNS = (  # header, width
    ("序号", 6), ("承诺主体", 14), ("所属组织", 18), ("承诺类别", 14), ("承诺事项", 36), ("目标及进度", 40),
    ("最新进展", 30), ("完成度", 9), ("到期日", 12), ("是否逾期", 9), ("状态", 10), ("评诺得分", 10),
)
HEADER_FILL = PatternFill("solid", fgColor="C00000")


def _targets_text(targets: list[dict]) -> str:
    parts = []
    for t in targets:
        value = "—" if t.get("value") is None else f"{t['value']:g}"
        parts.append(f"{t['name']}：{value}/{t['target']:g}{t.get('unit') or ''}")
    return "\n".join(parts)


def _row(n: int, r: dict) -> list:
    state = r["outcome_label"] if r["state"] == "closed" and r["outcome_label"] else r["state_label"]
    return [n, r["pledger_name"], r["org_name"], r["category_label"], r["title"], _targets_text(r["targets"]),
            r["latest_note"] or "", f"{round(r['completion'] * 100)}%", r["due_on"].isoformat(),
            "是" if r["overdue"] else "否", state, "" if r["evaluation_score"] is None else r["evaluation_score"]]


def ledger_workbook(org_name: str, period: str, rows: Iterable[dict], today: date, daily: dict | None = None,
                    title: str = "承诺台账") -> bytes:
    """The ledger sheet (or the meeting list, by ``title``), and with ``daily`` the sheets of zones, posts on duty
    and volunteer service."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for i, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.print_title_rows = "4:4"
    heading = WriteOnlyCell(ws, value=f"{org_name}{title}")
    heading.font = Font(size=18, bold=True)
    ws.append([heading])
    ws.append([f"组织：{org_name}", None, None, f"期间：{period}", None, f"导出日期：{today.isoformat()}"])
    ws.append([])
    header = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    for n, r in enumerate(rows, start=1):
        ws.append(_row(n, r))
    if daily is not None:
        _daily_sheets(wb, org_name, daily)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


POST_KINDS = {"vanguard_post": "党员先锋岗", "safety_volunteer": "安全监护志愿者", "badge": "挂牌上岗"}
DAILY_SHEETS = {  # sheet: (header, width) …
    "党员责任区": (("序号", 6), ("责任区", 24), ("所属组织", 18), ("类型", 10), ("责任人", 20), ("无事故天数", 11),
               ("检查合格/总数", 13), ("最近检查", 12), ("最近检查结果", 12)),
    "先锋岗": (("序号", 6), ("岗位", 24), ("类别", 16), ("上岗人", 12), ("所属组织", 18), ("上岗日期", 12),
            ("截止日期", 12)),
    "志愿服务": (("序号", 6), ("活动", 28), ("所属组织", 18), ("类别", 10), ("日期", 12), ("每人时长", 10),
             ("人数", 8), ("人·小时", 10)),
}
VOLUNTEER_KINDS = {"community": "进社区", "safety": "安全监护", "other": "其他"}


def _zone_row(n: int, z: dict) -> list:
    last = z["last_check"]
    return [n, z["name"], z["org_name"], "5S" if z["kind"] == "five_s" else "责任区",
            "、".join(str(h) for h in z.get("holder_names", z["holder_ids"])), z["days_without_incident"],
            f"{z['checks_passed']}/{z['checks_total']}", last.checked_on.isoformat() if last else "",
            ("合格" if last.passed else "不合格") if last else ""]


def _post_row(n: int, p: dict) -> list:
    return [n, p["title"], POST_KINDS.get(p["kind"], p["kind"]), p["holder_name"], p["org_name"],
            p["since"].isoformat(), p["until"].isoformat() if p["until"] else ""]


def _activity_row(n: int, a: dict) -> list:
    return [n, a["title"], a["org_name"], VOLUNTEER_KINDS.get(a["kind"], a["kind"]), a["on"].isoformat(),
            a["hours"], len(a["person_ids"]), a["person_hours"]]


def _daily_sheets(wb: Workbook, org_name: str, daily: dict) -> None:
    rows = {"党员责任区": [_zone_row(n, z) for n, z in enumerate(daily["zones"], start=1)],
            "先锋岗": [_post_row(n, p) for n, p in enumerate(daily["posts"], start=1)],
            "志愿服务": [_activity_row(n, a) for n, a in enumerate(daily["activities"], start=1)]}
    totals = daily["volunteer"]
    for name, columns in DAILY_SHEETS.items():
        ws = wb.create_sheet(name)
        for i, (_, width) in enumerate(columns):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        ws.page_setup.orientation = "landscape"
        title = WriteOnlyCell(ws, value=f"{org_name}{name}")
        title.font = Font(size=16, bold=True)
        ws.append([title])
        header = []
        for label, _ in columns:
            cell = WriteOnlyCell(ws, value=label)
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
            header.append(cell)
        ws.append(header)
        for row in rows[name]:
            ws.append(row)
        if name == "志愿服务":
            ws.append([None, f"{totals['year']} 年合计", None, None, None, None, totals["people"], totals["hours"]])
