"""User-facing text in Chinese (default) and English (``Accept-Language: en``).

Plain Python: the language of the moment comes from a source the web layer installs
(:func:`set_language_source`; it reads the request's ``Accept-Language``); anywhere else it is Chinese
unless a ``lang`` is passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "bad_request": ("请求无效", "The request is not valid"),
    "bad_json": ("请求体不是有效的 JSON", "The request body is not valid JSON"),
    "validation_failed": ("输入有误，请检查标出的字段", "Some fields are not valid; see errors"),
    "unauthorized": ("未登录或令牌无效", "Missing or invalid token"),
    "token_expired": ("令牌已过期", "The token has expired"),
    "identity_provider_unavailable": (
        "暂时无法从统一身份认证获取签名密钥，请稍后再试",
        "The identity provider's signing keys cannot be fetched right now; try again later",
    ),
    "forbidden": ("无权执行此操作", "You are not allowed to do this"),
    "org_forbidden": ("无权访问该组织及其下级", "You are not allowed to act on this organisation"),
    "not_found": ("资源不存在", "Not found"),
    "method_not_allowed": ("不支持该请求方法", "Method not allowed"),
    "conflict": ("与当前状态冲突", "Conflict with the current state"),
    "dead_letter_replayed": ("该死信已于 {at} 重新发送", "This dead letter was already replayed at {at}"),
    "invalid_transition": (
        "当前状态为「{state}」，不能执行「{action}」；可执行的操作：{allowed}",
        "The current state is '{state}': '{action}' is not allowed; allowed: {allowed}",
    ),
    "payload_too_large": ("上传内容过大", "The upload is too large"),
    "unsupported_media_type": ("不支持的内容类型", "Unsupported media type"),
    "rate_limited": ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
    "idempotency_mismatch": (
        "同一 Idempotency-Key 已用于不同的请求内容",
        "This Idempotency-Key was used with a different request body",
    ),
    "idempotency_in_flight": (
        "同一 Idempotency-Key 的请求正在处理中",
        "A request with this Idempotency-Key is still being processed",
    ),
    # pledge: directory import
    "import_bad_file": ("文件不是 CSV 或 XLSX，无法导入", "The file is not a CSV or XLSX file"),
    "import_empty": ("文件为空或没有数据行", "The file is empty or has no data rows"),
    "import_zip_bomb": ("XLSX 文件解压后过大，已拒绝", "The XLSX file inflates beyond the allowed size"),
    "import_missing_columns": ("缺少必需的列：{columns}", "Required columns are missing: {columns}"),
    "import_unknown_header": (
        "无法识别表头：应为组织（组织编码…）或人员（工号…）",
        "Unknown header: expected orgs (code …) or people (employee_no …)",
    ),
    "internal_error": ("服务器内部错误，已记录", "Internal error; it has been logged"),
    # survey
    "ballot_used": ("该选票已使用，每张选票只能提交一次", "This ballot has already been used; it takes one submission"),
    "round_not_open": ("测评当前不在进行中（状态：{state}）", "The round is not open (state: {state})"),
    "results_not_ready": ("测评结果尚未生成（状态：{state}）", "The results are not ready (state: {state})"),
    "service_unavailable": ("服务暂不可用", "Service unavailable"),
    # pledge: supervision (督诺)
    "comment_exists": ("该组织 {year} 年第 {quarter} 季度已有点评",
                       "This org already has a comment for {year} Q{quarter}"),
    "demo_site_exists": ("该组织已有名为「{name}」的示范点",
                         "This org already has a demonstration site named '{name}'"),
    "action_done": ("该动作已于 {done_on} 完成", "This action was already completed on {done_on}"),
    "evaluation_exists": (
        "该示范点 {year} 年 {month} 月的管理评价已录入",
        "This site already has its management evaluation for {year}-{month}",
    ),
    "contact_point_exists": ("该领导已将此组织设为联系点", "This leader already has this org as a contact point"),
    # pledge: 三服务 service targets
    "service_target_exists": ("该服务主体本期已有名为「{title}」的服务目标",
                              "This provider already has a service target '{title}' for the period"),
    "service_target_withdrawn": ("该服务目标已撤回（状态：withdrawn），不能再修改或撤回",
                                 "This service target is withdrawn (state: withdrawn); it cannot change any more"),
}

# marshmallow/webargs default messages → Chinese.  Patterns are tried in order.
_FIELD_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing data for required field\.$"), "必填字段"),
    (re.compile(r"^Unknown field\.$"), "不允许的字段"),
    (re.compile(r"^Field may not be null\.$"), "不能为空值"),
    (re.compile(r"^Not a valid string\.$"), "不是有效的文本"),
    (re.compile(r"^Not a valid integer\.$"), "不是有效的整数"),
    (re.compile(r"^Not a valid number\.$"), "不是有效的数字"),
    (re.compile(r"^Not a valid boolean\.$"), "不是有效的布尔值"),
    (re.compile(r"^Not a valid date\.$"), "不是有效的日期（YYYY-MM-DD）"),
    (re.compile(r"^Not a valid datetime\.$"), "不是有效的时间（ISO 8601）"),
    (re.compile(r"^Not a valid email address\.$"), "不是有效的邮箱地址"),
    (re.compile(r"^Not a valid URL\.$"), "不是有效的网址"),
    (re.compile(r"^Not a valid list\.$"), "应为列表"),
    (re.compile(r"^Not a valid mapping type\.$"), "应为对象"),
    (re.compile(r"^Invalid input type\.$"), "类型不正确"),
    (re.compile(r"^Invalid value\.$"), "取值无效"),
    (re.compile(r"^Must be one of: (.*)\.$"), r"必须是以下之一：\1"),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), r"长度必须在 \1 到 \2 之间"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), r"长度不能少于 \1"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), r"长度不能超过 \1"),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     r"必须在 \1 到 \2 之间"),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), r"不能小于 \1"),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), r"不能大于 \1"),
    (re.compile(r"^Must be greater than (\S+)\.$"), r"必须大于 \1"),
    (re.compile(r"^Invalid JSON body\.$"), "请求体不是有效的 JSON"),
]


def _no_language() -> str | None:
    return None


_language_source: Callable[[], str | None] = _no_language


def set_language_source(source: Callable[[], str | None]) -> None:
    """Where :func:`language` asks first (``None`` from it: Chinese); the web layer reads the request."""
    global _language_source
    _language_source = source


def language() -> str:
    """``en`` when the caller prefers English, else ``zh``."""
    return "en" if _language_source() == "en" else "zh"


def text(key: str, lang: str | None = None, **params: object) -> str:
    zh, en = MESSAGES.get(key, (key, key))
    template = en if (lang or language()) == "en" else zh
    return template.format(**params) if params else template


def field_message(message: str, lang: str | None = None) -> str:
    """Translate one field-level message (our own are already bilingual via ``bilingual``)."""
    if (lang or language()) == "en":
        return _BILINGUAL.get(message, (message, message))[1]
    if message in _BILINGUAL:
        return _BILINGUAL[message][0]
    for pattern, replacement in _FIELD_MESSAGES:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


_BILINGUAL: dict[str, tuple[str, str]] = {}


def bilingual(zh: str, en: str) -> str:
    """Register a field message for validators: returns the Chinese text, translated on output."""
    _BILINGUAL[zh] = (zh, en)
    return zh
