"""The effective schema as committed, reviewed artifacts (``whatssound db dump``), so a change shows
its real effect and every reader finds the current truth in one file. So far: the operational
settings' defaults, ``sql/schema/settings.json`` (what a fresh migration leaves in
private.settings), which the cost model also reads: the database and the model share one
source of numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg

from whatssound_svc import paths

SCHEMA_DIR = paths.SQL_DIR / "schema"
SETTINGS_FILE = SCHEMA_DIR / "settings.json"


def settings(conn: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    """Every operational setting of a migrated database: key -> {value, description}, sorted."""
    rows = conn.execute("select key, value, description from private.settings order by key").fetchall()
    return {key: {"value": value, "description": description} for key, value, description in rows}


def render_settings(conn: psycopg.Connection[Any]) -> str:
    """sql/schema/settings.json's text for this database."""
    return json.dumps(settings(conn), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def dump(conn: psycopg.Connection[Any], target: Path = SCHEMA_DIR) -> list[Path]:
    """Write the artifacts for this (freshly migrated) database under ``target``; returns them."""
    target.mkdir(parents=True, exist_ok=True)
    out = target / SETTINGS_FILE.name
    out.write_text(render_settings(conn))
    return [out]


def setting_defaults(path: Path = SETTINGS_FILE) -> dict[str, Any]:
    """The committed defaults: key -> value (JSON)."""
    return {key: entry["value"] for key, entry in json.loads(path.read_text()).items()}
