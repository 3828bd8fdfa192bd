"""Every setting of xianfeng, declared once with its type and default, read from ``XIANFENG_*``.

With nothing set, everything runs embedded: SQLite files and a bundled Redis on a unix socket
under ``XIANFENG_DATA_DIR``.  Production sets PostgreSQL and Redis (or RabbitMQ) URLs; the code is the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SERVICES: tuple[str, ...] = ("pledge", "survey", "notify")
DEFAULT_PORTS = {"pledge": 5001, "survey": 5002, "notify": 5003}
DEFAULT_SECRET = "xianfeng-development-secret-change-me"
PREFIX = "XIANFENG_"
AMQP_SCHEMES = ("amqp", "amqps", "pyamqp")


class SettingsError(RuntimeError):
    """A setting is missing, malformed or unsafe; the process must not start."""


@dataclass(frozen=True)
class ServiceSettings:
    name: str
    database_url: str
    port: int
    url: str


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    data_dir: Path = Path("var")
    secret_key: str = DEFAULT_SECRET
    # the key being rotated out: tokens it signed are still accepted (verification only), never minted
    secret_key_previous: str = ""
    # the group's identity provider: RS256/ES256 tokens verified against its JWKS (keys by kid, cached
    # 5 minutes, fetched again at most every jwks_cooldown seconds for an unknown kid), with its issuer
    # and our audience required; jwt_claims maps its claim names onto ours ("roles=groups,org=dept_id")
    jwks_url: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = ""
    jwt_claims: str = ""
    jwks_cooldown: int = 30
    broker_url: str = ""
    result_backend: str = ""
    # several deployments on one broker: kombu's global_keyprefix on Redis; on RabbitMQ the prefix of every
    # queue and exchange xianfeng declares (a vhost per deployment is RabbitMQ's own way, where one can be had)
    broker_key_prefix: str = ""
    # RabbitMQ: deliveries of one message without an acknowledgement (its worker lost each time) before the
    # quorum queue dead-letters it into the service's dead letters; fixed when the queue is first declared
    broker_delivery_limit: int = 10
    bind_host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_json: bool = True
    # seconds a broker message may stay unacknowledged before Redis hands it out again (its worker
    # died); longer than any task runs.  We use no countdown/ETA: retries are swept from the database.
    visibility_timeout: int = 2 * 3600
    idempotency_ttl: int = 24 * 3600
    max_upload_bytes: int = 50 * 1024 * 1024
    # pledge's directory import: an orgs sheet is held and resolved whole (parents in any order), so a file
    # may hold at most this many org rows (a national tree of 10^5 orgs fits; ~1 KB of worker memory a row);
    # beyond it the job fails at once with a clear message instead of exhausting the worker's memory
    import_max_org_rows: int = 200_000
    board_public: bool = True
    web_workers: int = 2
    worker_concurrency: int = 2
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "xianfeng@localhost"
    smtp_starttls: bool = False
    webhook_allow: str = ""
    # reverse proxies in front of the web processes whose X-Forwarded-For/-Proto/-Host are trusted
    # (0: none). Client addresses (rate limits, logs) come from the header only with this set.
    proxy_hops: int = 0
    # survey's ballot endpoints (API and phone page): flask-limiter limits per client address and per
    # token, where the counts live (memory:// per process; redis://… shared by the workers), and a switch
    survey_ballot_rate_limit: str = "300/minute"
    survey_ballot_token_rate_limit: str = "30/minute"
    survey_rate_limit_storage: str = "memory://"
    survey_rate_limit_enabled: bool = True
    metrics_port: int = 0  # a Celery worker serves its own /metrics on this port (0: off; web uses its port)
    # the campaign's calendar: "today", reminders, quarters and the beat's crontabs are read in this zone
    time_zone: str = "Asia/Shanghai"
    # notify: the quiet hours (免打扰, in time_zone) of whoever set none, and of the chat robots; "off": none
    notify_quiet_hours: str = "22:00-07:00"
    # notify: people per delivery task.  Larger is faster for each worker (fewer transactions: tasks of 2,500
    # fan out to 50,000 inboxes in 0.8x the time tasks of 1,000 take, bench/notify.py); smaller spreads one
    # notification over more workers (a 200,000-person fan-out is still 80 tasks)
    notify_chunk_size: int = 2500
    services: Mapping[str, ServiceSettings] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def hs256_secret(self) -> str | None:
        """The key our own tokens are signed and checked with; none in production without a real
        ``XIANFENG_SECRET_KEY`` (then only the identity provider's tokens pass, and nothing is minted)."""
        if self.production and self.secret_key == DEFAULT_SECRET:
            return None
        return self.secret_key

    @property
    def zone(self) -> ZoneInfo:
        """The campaign's time zone (``XIANFENG_TIME_ZONE``)."""
        return ZoneInfo(self.time_zone)

    @property
    def embedded_broker_socket(self) -> Path:
        return self.data_dir.resolve() / "redis.sock"

    @property
    def broker_is_amqp(self) -> bool:
        """RabbitMQ (``amqp://``, ``amqps://``, ``pyamqp://``) rather than Redis."""
        return is_amqp(self.broker_url)

    @property
    def broker_is_embedded(self) -> bool:
        return self.broker_url.startswith("redis+socket://") and self.broker_url.endswith(
            str(self.embedded_broker_socket)
        )

    def service(self, name: str) -> ServiceSettings:
        return self.services[name]

    def check(self) -> None:
        """Refuse unsafe configurations before anything listens."""
        if self.env not in ("development", "production", "test"):
            raise SettingsError(f"XIANFENG_ENV must be development or production, not {self.env!r}")
        if self.production and self.secret_key == DEFAULT_SECRET and not self.jwks_url:
            raise SettingsError("XIANFENG_SECRET_KEY is the default secret: refusing to start in production "
                                "(set a real key, or XIANFENG_JWKS_URL to accept the identity provider's tokens only)")
        if self.production and self.hs256_secret is not None and len(self.secret_key) < 32:
            raise SettingsError("XIANFENG_SECRET_KEY must be at least 32 characters in production")
        if self.secret_key_previous and self.secret_key_previous == self.secret_key:
            raise SettingsError("XIANFENG_SECRET_KEY_PREVIOUS equals XIANFENG_SECRET_KEY: rotation needs a new key")
        try:
            self.zone  # noqa: B018 — an unknown zone must stop the start, not the first reminder
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"XIANFENG_TIME_ZONE: unknown time zone {self.time_zone!r}") from exc
        if self.notify_quiet_hours not in ("", "off") and not _QUIET_SPAN.match(self.notify_quiet_hours):
            raise SettingsError(f"XIANFENG_NOTIFY_QUIET_HOURS must be HH:MM-HH:MM or off, "
                                f"not {self.notify_quiet_hours!r}")
        if self.notify_chunk_size < 1:
            raise SettingsError("XIANFENG_NOTIFY_CHUNK_SIZE must be at least 1")
        if self.broker_is_amqp and self.broker_delivery_limit < 1:
            raise SettingsError("XIANFENG_BROKER_DELIVERY_LIMIT must be at least 1")
        if self.production and self.secret_key_previous and (
            self.secret_key_previous == DEFAULT_SECRET or len(self.secret_key_previous) < 32
        ):
            raise SettingsError("XIANFENG_SECRET_KEY_PREVIOUS must be a real key (32+ characters) in production")
        self._check_identity_provider()

    def _check_identity_provider(self) -> None:
        from shared.principal import ClaimMap  # plain Python (principal → errors → i18n)

        if not self.jwks_url:
            return
        scheme = self.jwks_url.split("://", 1)[0].lower() if "://" in self.jwks_url else ""
        if scheme not in ("http", "https"):
            raise SettingsError(f"XIANFENG_JWKS_URL must be an http(s) URL, not {self.jwks_url!r}")
        if self.production and scheme != "https":
            raise SettingsError("XIANFENG_JWKS_URL must be https in production: whoever can change the keys "
                                "on the way can sign any token")
        missing = [name for name, value in (("XIANFENG_JWT_ISSUER", self.jwt_issuer),
                                            ("XIANFENG_JWT_AUDIENCE", self.jwt_audience)) if not value]
        if missing:
            raise SettingsError(f"XIANFENG_JWKS_URL needs {' and '.join(missing)}: without them a token the "
                                f"identity provider issued for another application would pass here")
        if self.jwks_cooldown < 0:
            raise SettingsError("XIANFENG_JWKS_COOLDOWN must be 0 or more seconds")
        try:
            ClaimMap.parse(self.jwt_claims)
        except ValueError as exc:
            raise SettingsError(f"XIANFENG_JWT_CLAIMS: {exc}") from exc


_QUIET_SPAN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


def is_amqp(url: str) -> bool:
    return url.split("://", 1)[0].lower() in AMQP_SCHEMES


def _result_backend(values: dict[str, object]) -> str:
    """The broker's own URL on Redis; RabbitMQ has no result store that chords work with, so one must be named."""
    broker, backend = str(values["broker_url"]), str(values.get("result_backend") or "")
    if not is_amqp(broker):
        return backend or broker
    scheme = backend.split("://", 1)[0].lower()
    if not backend or scheme in (*AMQP_SCHEMES, "rpc"):
        raise SettingsError(
            "XIANFENG_RESULT_BACKEND: with RabbitMQ as broker (XIANFENG_BROKER_URL=amqp://…) set a result backend "
            "that chords work with, a Redis: redis://host:6379/0; "
            + (f"{scheme}:// does not support chords" if backend else "it has no default"))
    return backend


def _coerce(raw: str, kind: type) -> object:
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind is int:
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(f"expected a whole number, got {raw!r}") from exc
    if kind is Path:
        return Path(raw)
    return raw


_SCALAR_TYPES = {"str": str, "int": int, "bool": bool, "Path": Path}


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from an environment mapping (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        if f.name == "services":
            continue
        key = PREFIX + f.name.upper()
        if key in env and env[key] != "":
            try:
                values[f.name] = _coerce(env[key], _SCALAR_TYPES[str(f.type)])
            except SettingsError as exc:
                raise SettingsError(f"{key}: {exc}") from exc
    data_dir = Path(values.get("data_dir", Path("var"))).resolve()  # type: ignore[arg-type]
    values["data_dir"] = data_dir
    socket_url = f"redis+socket://{data_dir / 'redis.sock'}"
    values.setdefault("broker_url", socket_url)
    values["result_backend"] = _result_backend(values)
    values["services"] = {name: _service(name, env, data_dir) for name in SERVICES}
    return Settings(**values)  # type: ignore[arg-type]


def _service(name: str, env: Mapping[str, str], data_dir: Path) -> ServiceSettings:
    upper = f"{PREFIX}{name.upper()}_"
    port = int(env.get(upper + "PORT") or DEFAULT_PORTS[name])
    url = env.get(upper + "DATABASE_URL") or f"sqlite:///{data_dir / (name + '.sqlite3')}"
    base = (env.get(upper + "URL") or f"http://127.0.0.1:{port}").rstrip("/")
    return ServiceSettings(name=name, database_url=url, port=port, url=base)


def known_variables() -> list[str]:
    """Every environment variable xianfeng reads (README and the deploy checks use this list)."""
    names = [PREFIX + f.name.upper() for f in fields(Settings) if f.name != "services"]
    for svc in SERVICES:
        names += [f"{PREFIX}{svc.upper()}_{part}" for part in ("DATABASE_URL", "PORT", "URL")]
    return names
