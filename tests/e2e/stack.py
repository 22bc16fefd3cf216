"""A throw-away `supabase start` stack of this project: the pinned CLI, our config, migrations
and seed, in a temporary copy with its own project id and ports (never a developer's stack).

Each step is a small function so it can be checked without Docker (tests/e2e/test_stack.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from whatssound_svc import paths

SUPABASE = paths.REPO_ROOT / "tools" / "node_modules" / ".bin" / "supabase"
#: Containers the flows do not need (`supabase start --exclude`): fewer images to pull.
EXCLUDED = ("imgproxy", "mailpit", "postgres-meta", "studio", "logflare", "vector", "supavisor")
#: Services with a host port of their own that the excluded containers would bind: off.
DISABLED_TABLES = ("studio", "local_smtp", "analytics")
CLI_ENV = {"SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
_TABLE = re.compile(r"^\[([A-Za-z0-9_.-]+)\]\s*$")
_KEY = re.compile(r"^([A-Za-z0-9_]+)\s*=")


def docker_answers() -> bool:
    """Whether a Docker engine answers `docker info` here."""
    if shutil.which("docker") is None:
        return False
    try:
        subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=True)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports free on 127.0.0.1 right now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def rewrite_config(text: str, settings: Mapping[str, Mapping[str, str]]) -> str:
    """``text`` (a config.toml) with ``settings[table][key] = value`` (TOML literals) set.

    Keys already in a table are replaced in place (comments and order kept); missing keys are
    added at the table's end; missing tables are appended. The top level is table ``""``.
    """
    pending = {table: dict(keys) for table, keys in settings.items()}
    out: list[str] = []
    table = ""

    def flush(name: str) -> None:
        out.extend(f"{key} = {value}" for key, value in pending.pop(name, {}).items())

    for line in text.splitlines():
        header = _TABLE.match(line)
        if header:
            flush(table)
            table = header.group(1)
        key = _KEY.match(line)
        if key and key.group(1) in pending.get(table, {}):
            out.append(f"{key.group(1)} = {pending[table].pop(key.group(1))}")
        else:
            out.append(line)
    flush(table)
    for name in list(pending):
        out.extend(["", f"[{name}]"])
        flush(name)
    return "\n".join(out) + "\n"


def isolated_settings(
    project_id: str, api_port: int, db_port: int, shadow_port: int
) -> dict[str, dict[str, str]]:
    """The config.toml changes that keep a test stack apart from a developer's."""
    return {
        "": {"project_id": json.dumps(project_id)},
        "api": {"port": str(api_port)},
        "db": {"port": str(db_port), "shadow_port": str(shadow_port)},
        **{name: {"enabled": "false"} for name in DISABLED_TABLES},
    }


def placeholder_env(config_text: str) -> dict[str, str]:
    """A placeholder for every ``env(NAME)`` the config reads (the CLI refuses empty provider
    settings); a send-SMS hook secret gets the Standard Webhooks shape."""
    names = sorted(set(re.findall(r"env\(([A-Z0-9_]+)\)", config_text)))
    return {
        name: "v1,whsec_ZTJlLXBsYWNlaG9sZGVyLXNlY3JldC0zMi1ieXRlcyE="
        if name.endswith("_SECRETS")
        else "e2e-placeholder"
        for name in names
    }


def copy_project(dest: Path) -> Path:
    """Copy what `supabase start` and `functions serve` read (config, migrations with their
    symlinks resolved, seed, edge/) into ``dest``; returns ``dest``."""
    shutil.copytree(paths.SUPABASE_DIR, dest / "supabase", symlinks=False)
    shutil.copytree(paths.REPO_ROOT / "edge", dest / "edge", symlinks=False)
    return dest


@dataclass(frozen=True)
class Stack:
    """A running stack, as `supabase status -o json` describes it."""

    workdir: Path
    project_id: str
    api_url: str
    anon_key: str
    service_role_key: str
    jwt_secret: str
    db_url: str
    functions_url: str


def parse_status(workdir: Path, project_id: str, output: str) -> Stack:
    """The stack from `supabase status -o json` output (keys as the CLI names them)."""
    status = json.loads(output)
    api_url = status["API_URL"].rstrip("/")
    return Stack(
        workdir=workdir, project_id=project_id, api_url=api_url,
        anon_key=status.get("ANON_KEY") or status["PUBLISHABLE_KEY"],
        service_role_key=status.get("SERVICE_ROLE_KEY") or status["SECRET_KEY"],
        jwt_secret=status["JWT_SECRET"], db_url=status["DB_URL"],
        functions_url=status.get("FUNCTIONS_URL") or f"{api_url}/functions/v1",
    )  # fmt: skip


def cli(
    workdir: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the pinned Supabase CLI on the project in ``workdir``."""
    return subprocess.run(
        [str(SUPABASE), "--workdir", str(workdir), *args], env={**os.environ, **CLI_ENV, **(env or {})},
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def _checked(result: subprocess.CompletedProcess[str], what: str) -> str:
    if result.returncode != 0:
        raise RuntimeError(
            f"`supabase {what}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


@contextmanager
def running_stack(root: Path) -> Iterator[Stack]:
    """`supabase start` a copy of this project under ``root``; `supabase stop --no-backup` after."""
    workdir = copy_project(root)
    config = workdir / "supabase" / "config.toml"
    project_id = f"whatssound-e2e-{uuid.uuid4().hex[:8]}"
    text = config.read_text(encoding="utf-8")
    config.write_text(rewrite_config(text, isolated_settings(project_id, *free_ports(3))), encoding="utf-8")
    env = placeholder_env(text)
    try:
        # The first run pulls the images (several GB): allow it time.
        _checked(cli(workdir, "start", "--exclude", ",".join(EXCLUDED), env=env, timeout=1800), "start")
        yield parse_status(
            workdir, project_id, _checked(cli(workdir, "status", "-o", "json", env=env), "status")
        )
    finally:
        cli(workdir, "stop", "--no-backup", "--project-id", project_id, env=env, timeout=300)


def functions_env(stack: Stack) -> dict[str, str]:
    """The edge functions' settings for `functions serve --env-file` (edge/README.md). The CLI
    provides SUPABASE_URL and SUPABASE_DB_URL itself; Stripe is never reached by these flows."""
    return {
        "WHATSSOUND_JWT_ISSUER": f"{stack.api_url}/auth/v1",
        "WHATSSOUND_JWT_SECRET": stack.jwt_secret,
        "STRIPE_SECRET_KEY": "sk_test_e2eplaceholder",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_e2eplaceholder",
        "STRIPE_API_BASE": "http://127.0.0.1:9",
        "WHATSSOUND_CONNECT_RETURN_URL": "whatssound://payouts/done",
        "WHATSSOUND_CONNECT_REFRESH_URL": "whatssound://payouts/refresh",
    }


def env_file_text(values: Mapping[str, str]) -> str:
    """``values`` as a dotenv file (one ``NAME=value`` a line; values quoted)."""
    return "".join(f"{name}={json.dumps(value)}\n" for name, value in values.items())


@contextmanager
def serving_functions(stack: Stack) -> Iterator[subprocess.Popen[str]]:
    """`supabase functions serve --env-file ...` in the background (its output in
    ``functions.log`` beside the project); stopped (SIGINT) after."""
    env_file = stack.workdir / "functions.env"
    config = (stack.workdir / "supabase" / "config.toml").read_text(encoding="utf-8")
    env_file.write_text(env_file_text(functions_env(stack)), encoding="utf-8")
    with (stack.workdir / "functions.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(SUPABASE), "--workdir", str(stack.workdir), "functions", "serve", "--env-file", str(env_file)],
            env={**os.environ, **CLI_ENV, **placeholder_env(config)}, stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def superuser_url(db_url: str) -> str:
    """``db_url`` (as `postgres`) as the local stack's superuser `supabase_admin` (same
    password locally: the CLI itself connects so for `db reset`)."""
    parts = urlsplit(db_url)
    password = f":{parts.password}" if parts.password is not None else ""
    netloc = f"supabase_admin{password}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
