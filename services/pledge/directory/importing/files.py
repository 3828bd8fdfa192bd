"""Reading a directory file (CSV or XLSX) as sheets of rows keyed by column — streaming, no database.

Headers by English key or Chinese header (API.md); rows numbered as a spreadsheet shows them (header =
row 1).  XLSX is read with openpyxl ``read_only`` (rows streamed); a file whose parts would inflate
beyond sane bounds (a zip bomb) is refused before openpyxl touches it.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from shared.errors import ApiError, ValidationFailed

ORG_COLUMNS = {"code": "组织编码", "name": "组织名称", "kind": "类型", "parent_code": "上级组织编码"}
PEOPLE_COLUMNS = {
    "employee_no": "工号", "name": "姓名", "org_code": "组织编码", "party_member": "是否党员",
    "joined_party_on": "入党日期", "roles": "职务", "email": "邮箱", "phone": "手机",
}
COLUMNS = {"orgs": ORG_COLUMNS, "people": PEOPLE_COLUMNS}
REQUIRED = {"orgs": ("code", "name", "kind"), "people": ("employee_no", "name", "org_code")}
SHEET_NAMES = {"orgs": ("orgs", "组织", "组织机构"), "people": ("people", "人员", "党员")}
MAX_INFLATED_PART = 1_500_000_000  # bytes a single XLSX part may inflate to (10^6 rows ≈ 200 MB)
MAX_RATIO = 200  # inflated / compressed, per part
MAX_SHARED_STRINGS = 300_000_000  # openpyxl keeps shared strings in memory even in read_only mode


class BadFile(ApiError):
    status, key = 400, "import_bad_file"


@dataclass
class Sheet:
    kind: str  # orgs | people
    keys: list[str | None]  # the column key of each position (None: a column we ignore)
    rows: Iterator[tuple[int, dict[str, Any]]]  # (row number, {key: value}), blank rows skipped
    estimate: int | None = None  # data rows by the sheet's own dimension (XLSX), when it states one


def detect_kind(filename: str, content: bytes) -> str:
    """``xlsx`` or ``csv``; anything else is a 400."""
    if content[:4] == b"PK\x03\x04":
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise BadFile()
    if b"\x00" in content[:4096]:
        raise BadFile()
    return "csv"


def _header_key(kind: str, cell: Any) -> str | None:
    name = str(cell).strip().lstrip("\ufeff") if cell is not None else ""
    for key, zh in COLUMNS[kind].items():
        if name.lower() == key or name == zh:
            return key
    return None


def classify(header: list[Any]) -> str | None:
    """Which sheet a header belongs to: people when it names the employee number, else orgs."""
    names = {str(c).strip().lstrip("\ufeff").lower() for c in header if c is not None}
    if names & {"employee_no", "工号"}:
        return "people"
    if names & {"code", "组织编码", "name", "组织名称"}:
        return "orgs"
    return None


def _check_header(kind: str, header: list[Any]) -> list[str | None]:
    keys = [_header_key(kind, c) for c in header]
    missing = [k for k in REQUIRED[kind] if k not in keys]
    if missing:
        zh = COLUMNS[kind]
        raise ValidationFailed(
            "import_missing_columns", columns=", ".join(f"{k} ({zh[k]})" for k in missing),
            errors={k: [f"{kind}: {k} / {zh[k]}"] for k in missing},
        )
    return keys


def _rows(keys: list[str | None], raw: Iterator[Any], first: int = 2) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, values in enumerate(raw, start=first):
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield number, {k: values[i] for i, k in enumerate(keys) if k is not None and i < len(values)}


def _encoding(content: bytes) -> str:
    """UTF-8 or, as Excel in China saves CSV, GBK; checked in 1 MB steps without decoding the file at once."""
    view = memoryview(content)
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(view), 1 << 20):
                decoder.decode(view[start:start + (1 << 20)])
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise BadFile()


def _text(content: bytes) -> io.TextIOWrapper:
    """The CSV as a text stream decoded as it is read (a 10^6-row file is never one big string)."""
    return io.TextIOWrapper(io.BytesIO(content), encoding=_encoding(content), newline="")


def csv_sheets(content: bytes) -> list[Sheet]:
    reader = csv.reader(_text(content))
    header = next(reader, None)
    if not header or all(not c.strip() for c in header):
        raise BadFile("import_empty")
    kind = classify(header)
    if kind is None:
        raise ValidationFailed("import_unknown_header", errors={"file": [", ".join(header[:8])]})
    keys = _check_header(kind, header)
    return [Sheet(kind, keys, _rows(keys, reader))]


def check_zip(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise BadFile() from exc
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > MAX_INFLATED_PART or (
            info.filename.endswith("sharedStrings.xml") and info.file_size > MAX_SHARED_STRINGS)
        if too_big or (ratio > MAX_RATIO and info.file_size > 10_000_000):
            raise BadFile("import_zip_bomb")
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise BadFile()


def xlsx_sheets(source: Any) -> list[Sheet]:
    """Sheets named orgs/people (or 组织/人员), else any sheet told apart by its header; orgs first."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise BadFile() from exc
    found: dict[str, Sheet] = {}
    for ws in workbook.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(c is None for c in header):
            continue
        named = [k for k, names in SHEET_NAMES.items() if ws.title.strip().lower() in names]
        kind = named[0] if named else classify(list(header))
        if kind is None or kind in found:
            continue
        keys = _check_header(kind, list(header))
        found[kind] = Sheet(kind, keys, _rows(keys, rows), ws.max_row - 1 if ws.max_row else None)
    if not found:
        raise BadFile("import_empty")
    return [found[k] for k in ("orgs", "people") if k in found]


def open_sheets(kind: str, content: bytes) -> list[Sheet]:
    if kind == "xlsx":
        check_zip(content)
        return xlsx_sheets(io.BytesIO(content))
    return csv_sheets(content)


def count_rows(kind: str, content: bytes) -> int:
    """Data rows in the file, for the job's ``total``: an XLSX's stated dimensions, else a streaming pass."""
    sheets = open_sheets(kind, content)
    if all(sheet.estimate is not None for sheet in sheets):
        return sum(sheet.estimate for sheet in sheets)
    return sum(1 for sheet in sheets for _ in sheet.rows)


def check_file(filename: str, content: bytes) -> str:
    """Refuse at once what cannot be imported: not CSV/XLSX, empty, missing required columns."""
    if not content.strip():
        raise BadFile("import_empty")
    kind = detect_kind(filename, content)
    sheets = open_sheets(kind, content)
    if not any(next(sheet.rows, None) for sheet in sheets):
        raise BadFile("import_empty")
    return kind
