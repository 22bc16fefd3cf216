"""Re-sync a user's entitlements from RevenueCat's subscriber API (its recommended source of truth).

``GET {base}/v1/subscribers/{app_user_id}`` with the secret API key; no ``X-Platform`` header
(it would update last_seen). The endpoint is get-or-create (201 creates a customer), so it is
only ever called for users that exist here. From the answer, each entitlement's access lasts to
the later of ``expires_date`` and ``grace_period_expires_date`` (null: lifetime); entitlements
bought in the sandbox are dropped unless the app accepts sandbox purchases.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import quote

import httpx2
import psycopg
from pydantic import SecretStr

DEFAULT_BASE_URL = "https://api.revenuecat.com"


class RevenueCatError(Exception):
    """RevenueCat answered something other than the subscriber."""


def fetch_subscriber(
    app_user_id: str, secret_key: SecretStr, base_url: str = DEFAULT_BASE_URL
) -> dict[str, Any]:
    """The subscriber object for ``app_user_id`` (RevenueCatError on any non-200 answer)."""
    response = httpx2.get(
        f"{base_url}/v1/subscribers/{quote(app_user_id, safe='')}",
        headers={"Authorization": f"Bearer {secret_key.get_secret_value()}", "Accept": "application/json"},
        timeout=10,
    )
    if response.status_code != 200:
        raise RevenueCatError(f"RevenueCat answered {response.status_code}: {response.text[:200]}")
    subscriber: dict[str, Any] = response.json()["subscriber"]
    return subscriber


def granted(subscriber: dict[str, Any], *, accept_sandbox: bool) -> dict[str, dict[str, str | None]]:
    """{entitlement: {"expires_at": ISO or None}} for every entitlement the subscriber holds."""
    subscriptions = subscriber.get("subscriptions") or {}
    out: dict[str, dict[str, str | None]] = {}
    for name, entitlement in (subscriber.get("entitlements") or {}).items():
        product = subscriptions.get(entitlement.get("product_identifier"), {})
        if product.get("is_sandbox") and not accept_sandbox:
            continue
        ends = [
            d for d in (entitlement.get("expires_date"), entitlement.get("grace_period_expires_date")) if d
        ]
        out[name] = {"expires_at": max(ends, key=_parse) if ends else None}
    return out


def _parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def resync(
    conn: psycopg.Connection, user_id: uuid.UUID, secret_key: SecretStr, base_url: str = DEFAULT_BASE_URL
) -> int:
    """Fetch the user's subscriber and make their RevenueCat entitlements match; rows written."""
    exists = conn.execute(
        "select exists (select 1 from public.profiles where id = %s)", (user_id,)
    ).fetchone()
    if not exists or not exists[0]:
        raise RevenueCatError(f"no user {user_id} here: not asking RevenueCat (it would create a customer)")
    synced_at = dt.datetime.now(dt.UTC)
    subscriber = fetch_subscriber(str(user_id), secret_key, base_url)
    setting = conn.execute("select (hidden.setting('revenuecat_accept_sandbox'))::boolean").fetchone()
    entitlements = granted(subscriber, accept_sandbox=bool(setting and setting[0]))
    row = conn.execute(
        "select private.rc_sync_entitlements(%s, %s::jsonb, %s)",
        (user_id, json.dumps(entitlements), synced_at),
    ).fetchone()
    return int(row[0]) if row else 0
