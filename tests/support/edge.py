"""The edge functions served by the real Deno runtime (edge/serve.ts), against a database of their
own and a loopback Stripe: what `supabase functions serve` would run, without Docker."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest

from whatssound_svc import paths

DENO = paths.REPO_ROOT / "tools" / "node_modules" / ".bin" / "deno"
EDGE = paths.REPO_ROOT / "edge"
JWT_SECRET = "test-jwt-secret-with-at-least-32-characters"


def require_deno() -> None:
    """Skip (or fail, where CI says Node tools must be present) without the pinned Deno."""
    if DENO.exists():
        return
    if os.environ.get("WHATSSOUND_REQUIRE_NODE_TOOLS"):
        pytest.fail("tools/node_modules/.bin/deno is missing; run `make tools`")
    pytest.skip("Deno is not installed (npm missing); `make tools` installs it")


def deno(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``deno args...`` in edge/ (its deno.json and lock apply)."""
    return subprocess.run([str(DENO), *args], cwd=EDGE, capture_output=True, text=True, timeout=timeout,
                          env=os.environ | {"NO_COLOR": "1"}, check=False)  # fmt: skip


@dataclass
class EdgeFunctions:
    """A running edge server: ``call(name, body, token)`` and the log lines it printed."""

    url: str
    logs: list[str] = field(default_factory=list)

    def call(self, name: str, body: Any = None, token: str | None = None, **kwargs: Any) -> httpx2.Response:
        headers = {"content-type": "application/json"} | (
            {"authorization": f"Bearer {token}"} if token else {}
        )
        content = kwargs.pop("content", None)
        return httpx2.request(kwargs.pop("method", "POST"), f"{self.url}/functions/v1/{name}", headers=headers,
                              content=content if content is not None else json.dumps(body or {}), timeout=30)  # fmt: skip


@contextmanager
def serving(env: dict[str, str]) -> Iterator[EdgeFunctions]:
    """Start edge/serve.ts on a free port with ``env`` (the functions' settings)."""
    require_deno()
    process = subprocess.Popen(
        [str(DENO), "run", "--frozen", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "serve.ts"],
        cwd=EDGE, env=os.environ | {"NO_COLOR": "1", "PORT": "0"} | env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    functions = EdgeFunctions(url="")

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            functions.logs.append(line.rstrip())
            lines.put(line)

    threading.Thread(target=drain, daemon=True).start()
    try:
        while not functions.url:
            try:
                line = lines.get(timeout=120)  # the first run downloads the npm packages
            except queue.Empty:
                pytest.fail("edge/serve.ts did not start:\n" + "\n".join(functions.logs))
            if line.startswith('{"listening"'):
                functions.url = json.loads(line)["listening"]
        yield functions
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
