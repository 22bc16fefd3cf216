"""``whatssound dev`` (the whole local backend) and ``whatssound serve`` (the service alone)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import tomllib
from types import FrameType
from typing import Annotated

import psycopg
import typer
import uvicorn
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from whatssound_svc import paths
from whatssound_svc.app import create_app
from whatssound_svc.bootstrap import bootstrap
from whatssound_svc.cli.options import AdminUrl
from whatssound_svc.localpg import LocalCluster
from whatssound_svc.logs import configure_logging, redact
from whatssound_svc.settings import Settings, get_settings

logger = logging.getLogger(__name__)
console = Console()

Host = Annotated[
    str | None,
    typer.Option(envvar="WHATSSOUND_HOST", help="Bind address.", show_default="127.0.0.1"),
]
Port = Annotated[int | None, typer.Option(envvar="WHATSSOUND_PORT", help="HTTP port.", show_default="8000")]


class _Stop(Exception):
    """Raised by our SIGTERM/SIGHUP handler so clean-up runs before the process exits."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _run_service(settings: Settings, *, stop_with_parent: bool) -> None:
    """Serve until SIGINT/SIGTERM/SIGHUP or, with ``stop_with_parent`` (``dev`` only), until our
    parent (e.g. `make`) goes away. Production (``serve``) keeps running when its parent exits:
    a supervisor, a daemonising shell or a container entrypoint may hand it over on purpose."""
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        server_header=False,
    )
    server = uvicorn.Server(config)
    signal.signal(signal.SIGHUP, lambda signum, frame: server.handle_exit(signal.SIGTERM, frame))
    if stop_with_parent:
        _stop_when_orphaned(server)
    server.run()


def _stop_when_orphaned(server: uvicorn.Server) -> None:
    """Ask ``server`` to shut down once our parent exits (``dev`` under `make`)."""
    parent = os.getppid()

    def watch_parent() -> None:
        # `kill <make's pid>` does not reach us: notice the orphaning and shut down cleanly.
        while not server.should_exit:
            if os.getppid() != parent:
                logger.warning("parent process %s exited; shutting down", parent)
                server.should_exit = True
                return
            time.sleep(0.5)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()


def _demo_users(url: str) -> list[tuple[str, str, str]]:
    """(name, phone, OTP) of the seeded demo users, OTPs from config.toml's test numbers."""
    config = tomllib.loads((paths.SUPABASE_DIR / "config.toml").read_text())
    otps: dict[str, str] = config.get("auth", {}).get("sms", {}).get("test_otp", {})
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select coalesce(raw_user_meta_data ->> 'display_name', ''), phone from auth.users"
            " where raw_app_meta_data ->> 'demo' = 'true' order by phone"
        ).fetchall()
    return [(name, f"+{phone}", otps.get(phone, "")) for name, phone in rows]


def _banner(db_url: str, service_url: str, users: list[tuple[str, str, str]], elapsed: float) -> None:
    table = Table(title=f"WhatsSound local backend ready in {elapsed:.1f} s", show_header=False)
    table.add_row("Database", db_url)
    table.add_row("Service", f"{service_url}  (/healthz, /readyz)")
    table.add_row("Stop", "Ctrl-C (stops the service and PostgreSQL)")
    console.print(table)
    if users:
        people = Table("Demo user", "Phone", "Test OTP", title="Sign in with a test number")
        for row in users:
            people.add_row(*row)
        console.print(people)


def dev(host: Host = None, port: Port = None, admin_url: AdminUrl = None) -> None:
    """Run the whole local backend: PostgreSQL (embedded, data kept in .local/pg), the Supabase
    shim, migrations and seed data, then the service on http://127.0.0.1:8000.

    Run it again and data is kept; only new migrations apply. Ctrl-C or SIGTERM stops the
    service and PostgreSQL. With DATABASE_URL set, that database is used instead.

    Example: make dev   (or: whatssound dev --port 8001)
    """
    started = time.monotonic()
    settings = get_settings()
    overrides: dict[str, object] = {k: v for k, v in {"host": host, "port": port}.items() if v}
    configure_logging(settings.log_level, json_output=settings.log_json)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    cluster = None if os.environ.get("DATABASE_URL") else LocalCluster.for_dev()
    try:
        if cluster is None:
            db_url = settings.database_url.get_secret_value()
            bootstrap(db_url, admin_url)
        else:
            cluster.start(supervise=True)
            db_url = cluster.url()
            bootstrap(db_url, admin_url or cluster.admin_url)
            overrides["database_url"] = SecretStr(db_url)
        settings = settings.model_copy(update=overrides)
        _banner(
            db_url if cluster is not None else redact(db_url),
            f"http://{settings.host}:{settings.port}",
            _demo_users(db_url),
            time.monotonic() - started,
        )
        _run_service(settings, stop_with_parent=True)
    except (_Stop, KeyboardInterrupt) as stop:
        logger.info("stopping (%s)", stop or "SIGINT")
    finally:
        if cluster is not None:
            cluster.release()


def serve(host: Host = None, port: Port = None) -> None:
    """Run the HTTP service only (production entry point; the database must be migrated).

    Example: WHATSSOUND_ENVIRONMENT=production DATABASE_URL=... whatssound serve --host 0.0.0.0
    """
    settings = get_settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v}
    configure_logging(settings.log_level, json_output=settings.log_json)
    _run_service(settings.model_copy(update=overrides), stop_with_parent=False)
