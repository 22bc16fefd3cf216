"""Bring a database to "ready to use": shim (local only), migrations, then seed data."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from whatssound_svc import migrations, paths, seeds
from whatssound_svc.local import shim

logger = logging.getLogger(__name__)


@dataclass
class BootstrapResult:
    """What a bootstrap changed."""

    shim_applied: bool = False
    shim_skipped_supabase: bool = False
    migrations_applied: list[str] = field(default_factory=list)
    seeds_run: list[str] = field(default_factory=list)


def bootstrap(
    database_url: str,
    admin_url: str | None = None,
    *,
    seed: bool = True,
    migrations_dir: Path = paths.MIGRATIONS_DIR,
    supabase_dir: Path = paths.SUPABASE_DIR,
    report: migrations.Report = migrations._stderr,
) -> BootstrapResult:
    """Apply the shim with ``admin_url`` (unless Supabase manages the database), then the
    migrations and (optionally) the seed files with ``database_url`` (the ``postgres`` role)."""
    result = BootstrapResult()
    with psycopg.connect(admin_url or database_url, autocommit=True) as admin:
        if shim.is_supabase_managed(admin):
            result.shim_skipped_supabase = True
            report("Supabase manages this database: skipping the local shim and seed data.")
            seed = False
        else:
            result.shim_applied = shim.apply(admin)
            # Keep realtime's daily partitions current, as the Realtime server would.
            admin.execute("select supabase_shim.realtime_maintain()")
    with psycopg.connect(database_url, autocommit=True) as conn:
        result.migrations_applied = [m.version for m in migrations.push(conn, migrations_dir, report=report)]
        if seed:
            result.seeds_run = seeds.apply_seeds(conn, supabase_dir, report=report)
    return result
