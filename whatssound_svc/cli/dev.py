"""``whatssound dev`` (the whole local backend) and ``whatssound serve`` (the service alone)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
import tomllib
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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
from whatssound_svc.cli.options import AdminUrl
from whatssound_svc.local import devdemo, devstack
from whatssound_svc.local.bootstrap import bootstrap
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.devstack import DevSecrets, DevSettings
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
        rows = conn.execute("select display_name, phone from private.demo_users()").fetchall()
    return [(name, f"+{phone}", otps.get(phone, "")) for name, phone in rows]


@dataclass(frozen=True)
class _Stack:
    """What the banner lists about the running local backend."""

    db_url: str
    service_url: str
    users: list[tuple[str, str, str]]
    dev_secrets: DevSecrets
    secrets_file: Path
    s3_url: str


def _banner(stack: _Stack, elapsed: float) -> None:
    url, secrets = stack.service_url, stack.dev_secrets
    rows = [
        ("Database", stack.db_url),
        ("Service", url),
        ("Health", f"{url}/healthz  {url}/readyz  {url}/metrics"),
        ("Stripe webhook", f"{url}/webhooks/stripe  secret {secrets.stripe_webhook_secret}"),
        ("Stripe Connect", f"{url}/webhooks/stripe-connect  secret {secrets.stripe_connect_webhook_secret}"),
        (
            "RevenueCat webhook",
            f"{url}/webhooks/revenuecat  Authorization: {secrets.revenuecat_authorization}",
        ),
        (
            "S3 (Storage, R2)",
            f"{stack.s3_url}  key {devstack.S3_ACCESS_KEY_ID}  secret {secrets.s3_secret_access_key}",
        ),
        ("Secrets", f"{stack.secrets_file} (kept across restarts; refused in production)"),
        ("Stop", "Ctrl-C (stops the service, S3 and PostgreSQL)"),
    ]
    # Plain lines, never cut: the URLs and secrets are meant to be copied.
    console.print(f"WhatsSound local backend ready in {elapsed:.1f} s", style="bold")
    for label, value in rows:
        console.print(f"  {label:<19} {value}", soft_wrap=True, highlight=False, markup=False)
    stripe_event = (
        '{"id":"evt_local_1","object":"event","type":"ping","created":\'$(date +%s)\',"livemode":false,'
        '"data":{"object":{}}}'
    )
    console.print("Send a signed test Stripe event:", style="bold")
    console.print(
        f"P='{stripe_event}'; curl -sd \"$P\" -H 'content-type: application/json' -H \"stripe-signature: "
        f"$({sys.executable} -c 'import stripe,sys; print(stripe.WebhookSignature.generate_signature_header"
        f'(*sys.argv[1:]))\' "$P" {secrets.stripe_webhook_secret})" {url}/webhooks/stripe',
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    console.print("and a RevenueCat one:", style="bold")
    console.print(
        """curl -sd '{"event":{"id":"rc_local_1","type":"TEST","event_timestamp_ms":'$(date +%s000)'}}'"""
        f" -H 'content-type: application/json' -H '{'Authorization: ' + secrets.revenuecat_authorization}'"
        f" {url}/webhooks/revenuecat",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    if stack.users:
        people = Table("Demo user", "Phone", "Test OTP", title="Sign in with a test number")
        for row in stack.users:
            people.add_row(*row)
        console.print(people)


def _keep_demo_alive(db_url: str, admin_url: str) -> None:
    """Re-open the demo room if it ended, and beat for its users before the service's maintenance
    first looks for abandoned rooms. A failure is logged: the rest of the stack still comes up."""
    try:
        devdemo.revive(admin_url)
        devdemo.beat(db_url)
    except psycopg.Error as exc:
        logger.warning(
            "could not keep the demo room live: %s", exc.diag.message_primary or type(exc).__name__
        )


def _announce_when_ready(host: str, port: int, announce: Callable[[], None]) -> threading.Event:
    """Call ``announce`` once the service answers /readyz 200 (polled in a daemon thread), unless
    the returned event is set first."""
    stop = threading.Event()

    def poll() -> None:
        where = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 (bound to all: ask loopback)
        url = f"http://{where}:{port}/readyz"
        while not stop.is_set():
            # Not listening yet, or 503 while not ready: both are OSErrors.
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    announce()
                    return
            stop.wait(0.1)

    threading.Thread(target=poll, name="ready-banner", daemon=True).start()
    return stop


def dev(host: Host = None, port: Port = None, admin_url: AdminUrl = None) -> None:
    """Run the whole local backend: PostgreSQL with migrations and seed data, local S3, then the service.

    PostgreSQL is embedded (data kept in .local/pg) with the Supabase shim; the service listens on
    http://127.0.0.1:8000 with webhook secrets generated for this stack (.local/dev-secrets.json).
    The seeded demo room is kept live (its users heartbeat) and re-opened if it ended.

    Run it again and data is kept; only new migrations apply. Ctrl-C or SIGTERM stops the
    service and PostgreSQL. With DATABASE_URL set, that database is used instead.

    Example: make dev   (or: whatssound dev --port 8001)
    """
    started = time.monotonic()
    settings = get_settings()
    dev_settings = DevSettings()
    overrides: dict[str, object] = {k: v for k, v in {"host": host, "port": port}.items() if v}
    configure_logging(settings.log_level, json_output=settings.log_json)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    cluster = None if os.environ.get("DATABASE_URL") else LocalCluster.for_dev()
    try:
        with contextlib.ExitStack() as running:
            if cluster is None:
                db_url = settings.database_url.get_secret_value()
                result = bootstrap(db_url, admin_url)
            else:
                cluster.start(supervise=True)
                db_url = cluster.url()
                result = bootstrap(db_url, admin_url or cluster.admin_url)
                overrides["database_url"] = SecretStr(db_url)
            settings = settings.model_copy(update=overrides)
            secrets_file = devstack.secrets_path()
            dev_secrets = DevSecrets.load_or_create(secrets_file)
            s3_url = running.enter_context(devstack.local_s3(dev_settings.s3_port, dev_secrets))
            devstack.export(devstack.service_env(dev_secrets, s3_url))
            if not result.shim_skipped_supabase:  # the demo data is ours: keep its room live
                _keep_demo_alive(db_url, admin_url or (cluster.admin_url if cluster else db_url))
                running.callback(devdemo.keep_alive(db_url, dev_settings.demo_heartbeat_s).set)
            stack = _Stack(
                db_url if cluster is not None else redact(db_url),
                f"http://{settings.host}:{settings.port}",
                _demo_users(db_url),
                dev_secrets,
                secrets_file,
                s3_url,
            )
            announce = _announce_when_ready(
                settings.host, settings.port, lambda: _banner(stack, time.monotonic() - started)
            )
            running.callback(announce.set)
            _run_service(settings, stop_with_parent=True)
    except (_Stop, KeyboardInterrupt) as stop:
        logger.info("stopping (%s)", stop.args[0] if stop.args else "SIGINT")
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
