"""The ``xianfeng`` command line: run, serve, worker, beat, migrate, token, seed-demo, daily, …"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from shared import auth
from shared.errors import ApiError
from shared.logs import configure as configure_logs
from shared.settings import Settings, SettingsError, load


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


def cmd_token(args) -> int:
    settings = load()
    print(auth.mint(settings.secret_key, roles=args.role, sub=args.sub, org=args.org, ttl=args.ttl))
    return 0


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

    return serve(lambda: svc.create_app(settings), settings.bind_host, port, args.workers or settings.web_workers)


def cmd_worker(args) -> int:
    settings = _settings()
    svc = _services([args.service])[args.service]
    _migrate_if_embedded(svc, settings)
    svc.start(settings)
    svc.celery.worker_main(svc.worker_argv(args.concurrency or settings.worker_concurrency))
    return 0


def cmd_beat(args) -> int:
    from shared.beat import run_beat

    return run_beat(_settings(), _services())


def cmd_daily(args) -> int:
    settings = _settings()
    day = date.fromisoformat(args.date) if args.date else date.today()
    report = {}
    for name, svc in _services().items():
        _migrate_if_embedded(svc, settings)
        svc.start(settings)
        report[name] = svc.daily(day)
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
    try:
        year = play(Api(urls, settings.secret_key), day, say=lambda line: print(line, flush=True))
    except (CampaignError, TimeoutError) as exc:
        print(f"xianfeng demo: {exc}", file=sys.stderr)
        return 1
    print(f"done: run `xianfeng daily --date {year.day.isoformat()}` for its pledge_due, lookback and "
          f"political_birthday reminders")
    return 0


def cmd_run(args) -> int:
    from shared.embedded import EmbeddedBroker
    from shared.supervisor import Child, Supervisor, xianfeng_argv

    settings = _settings()
    services = _services()
    broker = None
    if settings.broker_is_embedded:
        broker = EmbeddedBroker(settings.data_dir, settings.embedded_broker_socket)
        broker.start()
    try:
        for svc in services.values():
            svc.migrate(settings)
        children = []
        for name in services:
            children.append(Child(f"{name}-web", xianfeng_argv("serve", name)))
            children.append(Child(f"{name}-worker", xianfeng_argv("worker", name)))
        children.append(Child("beat", xianfeng_argv("beat")))
        env = dict(os.environ, XIANFENG_DATA_DIR=str(settings.data_dir))

        def started() -> None:
            print("xianfeng is starting:", flush=True)
            for name in services:
                print(f"  {name:<7} {settings.service(name).url}  (docs: {settings.service(name).url}/docs)",
                      flush=True)
            print("Ctrl-C stops everything.", flush=True)

        return Supervisor(children).run(env, on_started=started)
    finally:
        if broker is not None:
            broker.stop()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xianfeng", description="先锋 — 创先争优 campaign services")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start all services, their workers and the scheduler").set_defaults(func=cmd_run)
    s = sub.add_parser("serve", help="start one service's web process")
    s.add_argument("service")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int)
    s.set_defaults(func=cmd_serve)
    w = sub.add_parser("worker", help="start one service's Celery worker")
    w.add_argument("service")
    w.add_argument("--concurrency", type=int)
    w.set_defaults(func=cmd_worker)
    sub.add_parser("beat", help="start the scheduler").set_defaults(func=cmd_beat)
    m = sub.add_parser("migrate", help="apply migrations")
    m.add_argument("service", nargs="?")
    m.set_defaults(func=cmd_migrate)
    t = sub.add_parser("token", help="print a bearer token")
    t.add_argument("--role", action="append", required=True, choices=auth.ROLES)
    t.add_argument("--sub")
    t.add_argument("--org", type=int)
    t.add_argument("--ttl", type=int, default=3600)
    t.set_defaults(func=cmd_token)
    sub.add_parser("seed-demo", help="load the demo group").set_defaults(func=cmd_seed_demo)
    d = sub.add_parser("daily", help="run the nightly jobs for a date")
    d.add_argument("--date", help="YYYY-MM-DD (default: today)")
    d.set_defaults(func=cmd_daily)
    sub.add_parser("sync-directory", help="resend the full directory to survey and notify").set_defaults(
        func=cmd_sync_directory
    )
    demo = sub.add_parser("demo", help="play one campaign year of a demo group against running services")
    for name in ("pledge", "survey", "notify"):
        demo.add_argument(f"--{name}-url", help=f"base URL of {name} (default: from the settings)")
    demo.add_argument("--date", help="YYYY-MM-DD the nightly run will find due (default: next quarter's first day)")
    demo.set_defaults(func=cmd_demo)
    dl = sub.add_parser("dead-letters", help="list (or replay) tasks of a service that failed for good")
    dl.add_argument("service")
    dl.add_argument("--pending", action="store_true", help="only those not replayed yet")
    dl.add_argument("--limit", type=int, default=50)
    dl.add_argument("--replay", metavar="ID", help="send that task again with the same arguments")
    dl.set_defaults(func=cmd_dead_letters)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load()
        configure_logs(settings.log_level, settings.log_json)
        if args.command != "token":
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        return int(args.func(args) or 0)
    except ApiError as exc:
        print(f"xianfeng: {exc.message()}", file=sys.stderr)
        return 1
    except SettingsError as exc:
        print(f"xianfeng: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
