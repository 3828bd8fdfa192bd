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


def ledger_workbook(org_name: str, period: str, rows: Iterable[dict], today: date, title: str = "承诺台账") -> bytes:
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
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
