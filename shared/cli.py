"""The ``xianfeng`` command line: run, serve, worker, beat, migrate, token, seed-demo, daily, …"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from shared import auth
from shared.errors import ApiError
from shared.logs import configure as configure_logs
from shared.settings import Settings, SettingsError, load


class CommandRefused(RuntimeError):
    """The command cannot do what it was asked here; the message says why (exit status 2)."""


def _settings() -> Settings:
    settings = load()
    settings.check()
    return settings


def _services(names: list[str] | None = None):
    from shared.service import discover

    found = discover()
    if names:
        unknown = [n for n in names if n not in found]
        if unknown:
            raise SystemExit(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(found)}")
        return {n: found[n] for n in names}
    return found


def _signing_secret(settings: Settings) -> str:
    """The HS256 key tokens are minted with; a clear refusal where there is none (production on JWKS only)."""
    if settings.hs256_secret is None:
        raise CommandRefused(
            "no HS256 secret is configured (XIANFENG_SECRET_KEY is unset or the default in "
            "production), so no token can be minted here"
            + ("; this deployment accepts the identity provider's tokens (XIANFENG_JWKS_URL): get one there"
               if settings.jwks_url else "")
        )
    return settings.hs256_secret


def cmd_token(args) -> int:
    settings = load()
    print(auth.mint(_signing_secret(settings), roles=args.role, sub=args.sub, org=args.org,
                    ttl=args.ttl))
    return 0


def _token_usage(args) -> str | None:
    """What argparse cannot say alone: an org admin administers an org."""
    if "org_admin" in args.role and args.org is None:
        return "--role org_admin needs --org ORG_ID (the org it administers, with its subtree)"
    return None


def cmd_migrate(args) -> int:
    settings = _settings()
    for name, svc in _services([args.service] if args.service else None).items():
        svc.migrate(settings)
        print(f"{name}: migrated to head")
    return 0


def _migrate_if_embedded(svc, settings: Settings) -> None:
    if settings.service(svc.name).database_url.startswith("sqlite"):
        svc.migrate(settings)


def cmd_serve(args) -> int:
    settings = _settings()
    svc = _services([args.service])[args.service]
    _migrate_if_embedded(svc, settings)
    port = args.port or settings.service(svc.name).port
    from shared.wsgi import serve

    return serve(lambda: svc.create_app(settings), settings.bind_host, port, args.workers or settings.web_workers,
                 verbose=args.verbose)


def cmd_worker(args) -> int:
    settings = _settings()
    svc = _services([args.service])[args.service]
    _migrate_if_embedded(svc, settings)
    svc.start(settings)
    quiet = [] if args.verbose else ["--quiet"]  # no banner
    svc.celery.worker_main([*quiet, *svc.worker_argv(args.concurrency or settings.worker_concurrency)])
    return 0


def cmd_beat(args) -> int:
    from shared.beat import run_beat

    return run_beat(_settings(), _services(), verbose=args.verbose)


def cmd_daily(args) -> int:
    settings = _settings()
    day = date.fromisoformat(args.date) if args.date else date.today()
    report = _nightly(settings)(day)
    print(json.dumps({"date": day.isoformat(), **report}, ensure_ascii=False, default=str))
    return 0


def cmd_seed_demo(args) -> int:
    settings = _settings()
    report = {}
    for name, svc in _services().items():
        _migrate_if_embedded(svc, settings)
        svc.start(settings)
        report[name] = svc.seed_demo()
    print(json.dumps(report, ensure_ascii=False, default=str))
    return 0


def cmd_sync_directory(args) -> int:
    settings = _settings()
    report = {}
    for name, svc in _services().items():
        hook = getattr(svc, "sync_directory", None)
        if hook:
            svc.start(settings)
            report[name] = hook()
    print(json.dumps(report, ensure_ascii=False, default=str))
    return 0


def cmd_dead_letters(args) -> int:
    settings = _settings()
    svc = _services([args.service])[args.service]
    _migrate_if_embedded(svc, settings)
    letters = svc.start(settings).dead_letters
    if args.replay:
        done = letters.replay(args.replay)
        print(json.dumps({"replayed": args.replay, "task_id": done["replay_task_id"]}))
        return 0
    for row in letters.list(1, args.limit, pending_only=args.pending)["items"]:
        state = f"replayed {row['replayed_at']:%Y-%m-%d %H:%M}" if row["replayed_at"] else "pending"
        print(f"{row['id']}  {row['failed_at']:%Y-%m-%d %H:%M:%S}  {row['task']}  {state}  {row['error'][:120]}")
    return 0


def cmd_demo(args) -> int:
    """One campaign year of a small demo group against running services (those of ``xianfeng run``)."""
    import logging

    from shared.campaign import Api, CampaignError, next_quarter_start, play

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per step, not per request
    settings = load()
    urls = {name: (getattr(args, f"{name}_url") or settings.service(name).url).rstrip("/")
            for name in ("pledge", "survey", "notify")}
    day = date.fromisoformat(args.date) if args.date else next_quarter_start(date.today())
    # the nightly run in this process, on this machine's settings: only when the services are those settings' own
    local = not any(getattr(args, f"{name}_url") for name in ("pledge", "survey", "notify"))
    try:
        year = play(Api(urls, _signing_secret(settings)), day, say=lambda line: print(line, flush=True),
                    nightly=_nightly(settings) if local else None)
    except (CampaignError, TimeoutError) as exc:
        print(f"xianfeng demo: {exc}", file=sys.stderr)
        return 1
    print(f"done: run `xianfeng daily --date {year.day.isoformat()}` for its pledge_due, lookback and "
          f"political_birthday reminders" + (" (again: replays send nothing twice)" if local else ""))
    return 0


def _nightly(settings):
    """``xianfeng daily --date`` as a function of the date (what :func:`cmd_daily` prints, as a dict)."""
    def nightly(day: date) -> dict:
        report = {}
        for name, svc in _services().items():
            _migrate_if_embedded(svc, settings)
            svc.start(settings)
            report[name] = svc.daily(day)
        return report

    return nightly


def cmd_run(args) -> int:
    from shared.run import run

    return run(_settings(), _services(), verbose=args.verbose)


def _positive(kind: str):
    """An argparse type: a whole number above 0 (argparse's error names the option and the value)."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be a positive whole number ({kind}), not {raw!r}")
        return value

    return parse


VERBOSE_HELP = "also show the start-up banners and info lines of alembic, Celery and gunicorn"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xianfeng", description="先锋 — 创先争优 campaign services")
    p.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    common = argparse.ArgumentParser(add_help=False)  # --verbose after the command too
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, func) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help, parents=[common])
        parser.set_defaults(func=func, subparser=parser)
        return parser

    command("run", "start all services, their workers and the scheduler", cmd_run)
    s = command("serve", "start one service's web process", cmd_serve)
    s.add_argument("service")
    s.add_argument("--port", type=_positive("port"))
    s.add_argument("--workers", type=_positive("processes"))
    w = command("worker", "start one service's Celery worker", cmd_worker)
    w.add_argument("service")
    w.add_argument("--concurrency", type=_positive("processes"))
    command("beat", "start the scheduler", cmd_beat)
    m = command("migrate", "apply migrations", cmd_migrate)
    m.add_argument("service", nargs="?")
    t = command("token", "print a bearer token (HS256, signed with XIANFENG_SECRET_KEY)", cmd_token)
    t.add_argument("--role", action="append", required=True, choices=auth.ROLES,
                   help="repeat for several roles; org_admin needs --org")
    t.add_argument("--sub", help="the person id (member tokens) or the calling system's name")
    t.add_argument("--org", type=_positive("an org id"), metavar="ORG_ID", help="the org an org_admin administers")
    t.add_argument("--ttl", type=_positive("seconds"), default=3600, help="lifetime in seconds (default 3600)")
    t.set_defaults(usage=_token_usage)
    command("seed-demo", "load the demo group", cmd_seed_demo)
    d = command("daily", "run the nightly jobs for a date", cmd_daily)
    d.add_argument("--date", help="YYYY-MM-DD (default: today)")
    command("sync-directory", "resend the full directory to survey and notify", cmd_sync_directory)
    demo = command("demo", "play one campaign year of a demo group against running services", cmd_demo)
    for name in ("pledge", "survey", "notify"):
        demo.add_argument(f"--{name}-url", help=f"base URL of {name} (default: from the settings)")
    demo.add_argument("--date", help="YYYY-MM-DD the nightly run will find due (default: next quarter's first day)")
    dl = command("dead-letters", "list (or replay) tasks of a service that failed for good", cmd_dead_letters)
    dl.add_argument("service")
    dl.add_argument("--pending", action="store_true", help="only those not replayed yet")
    dl.add_argument("--limit", type=_positive("letters"), default=50)
    dl.add_argument("--replay", metavar="ID", help="send that task again with the same arguments")
    return p


def main(argv: list[str] | None = None) -> int:
    from shared.preflight import Refused

    parser = build_parser()
    args = parser.parse_args(argv)
    problem = getattr(args, "usage", lambda _args: None)(args)
    if problem:
        args.subparser.error(problem)  # its usage line, "xianfeng token: error: …", exit status 2
    try:
        settings = load()
        configure_logs(settings.log_level, settings.log_json, verbose=args.verbose)
        if args.command != "token":
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        return int(args.func(args) or 0)
    except ApiError as exc:
        print(f"xianfeng: {exc.message()}", file=sys.stderr)
        return 1
    except SettingsError as exc:
        print(f"xianfeng: {exc}", file=sys.stderr)
        return 2
    except (CommandRefused, Refused) as exc:
        print(f"xianfeng {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
