"""``whatssound media``: the R2 backup of every original — check it, bring one back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import psycopg
import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import Progress

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import emit, emit_one
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.media import objectstore, pipeline
from whatssound_svc.settings import get_settings

app = typer.Typer(help="Media: the R2 backup of uploaded originals.", no_args_is_help=True)

#: Problems that mean an original could not be restored as it is.
LOSSES = {"missing", "mismatched", "failed", "untracked"}


class StoreError(WhatsSoundError):
    """Storage or R2 did not answer as expected."""

    code = "MDS3E"
    http_status = 502


@contextlib.contextmanager
def _stores() -> Iterator[pipeline.Stores]:
    """Both endpoints from the settings; their failures become one clear error."""
    settings = get_settings().media
    try:
        yield pipeline.Stores.from_settings(settings, backup=True)
    except (BotoCoreError, ClientError, objectstore.CopyMismatch) as exc:
        raise StoreError(
            f"{exc} (nothing was changed; check the endpoints and keys, then run it again)"
        ) from exc


@app.command()
def verify(
    db_url: DbUrl = None,
    deep: Annotated[
        bool, typer.Option("--deep", help="Read every copy back and compare its SHA-256.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Check every original's R2 copy and report the ones that could not be restored as they are.

    Problems: missing, mismatched (size, or SHA-256 with --deep), not copied yet (pending), given
    up (failed), and copies of deleted originals (orphaned). Exits 1 when any original could not
    be restored as it is. --deep shows its progress on a terminal (never in --json).

    Example: whatssound media verify --deep
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.media_backup_inventory()").fetchall()
    with _stores() as stores:
        originals = sum(1 for row in rows if row[2] != "deleted")
        with _progress(originals, enabled=deep and not as_json) as step:
            problems, checked = _compare(stores, rows, deep=deep, step=step)
    title = f"{checked} original(s) checked{' deeply' if deep else ''}, {len(problems)} problem(s)"
    emit(("key", "problem", "detail"), problems, as_json=as_json, title=title)
    if any(problem in LOSSES for _, problem, _ in problems):
        raise typer.Exit(1)


@contextlib.contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal and ``enabled``; yields the step function."""
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not (enabled and console.is_terminal)) as bar:
        task = bar.add_task("checking originals", total=total)
        yield lambda: bar.advance(task)


def _compare(
    stores: pipeline.Stores, rows: list[tuple[Any, ...]], *, deep: bool, step: Callable[[], None]
) -> tuple[list[tuple[str, str, str]], int]:
    """Each original's recorded copy against R2's listing (and contents, when deep)."""
    settings = get_settings().media
    assert stores.r2 is not None
    copies = objectstore.keys(stores.r2, settings.r2_bucket)
    problems: list[tuple[str, str, str]] = []
    checked = 0
    for bucket, name, state, sha256, size in rows:
        key = pipeline.backup_key(bucket, name)
        if state == "deleted":
            if key in copies:
                problems.append((key, "orphaned", "the original was deleted; the copy remains"))
            continue
        checked += 1
        step()
        if state != "copied":
            problems.append((key, state or "untracked", "no verified copy recorded"))
        elif key not in copies:
            problems.append((key, "missing", "recorded as copied, absent from R2"))
        elif copies[key] != size:
            problems.append((key, "mismatched", f"R2 holds {copies[key]} bytes, {size} were copied"))
        elif deep and pipeline.backup_digest(stores, settings, key).sha256 != sha256:
            problems.append((key, "mismatched", "the copy's SHA-256 differs from the original's"))
    return problems, checked


@app.command()
def restore(
    key: Annotated[str, typer.Argument(help="<bucket>/<path>, as `media verify` lists it.")],
    db_url: DbUrl = None,
    as_json: Json = False,
    dry_run: DryRun = False,
    yes: Yes = False,
) -> None:
    """Copy one original back from R2 into Storage, after checking it is the copy recorded at backup time.

    The check is its SHA-256. Storage records the object again as it stores it, replacing the
    object there if any: it asks first (skip with --yes); --dry-run only says what it would copy.

    Example: whatssound media restore audio/3f6c1a2e-.../friday-set.mp3 --dry-run
    """
    bucket, _, name = key.partition("/")
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        recorded = conn.execute("select private.media_backup_sha256(%s, %s)", (bucket, name)).fetchone()
    if recorded is None or recorded[0] is None:
        typer.echo(f"{key}: no verified backup is recorded; see `whatssound media verify`", err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo(f"would copy {key} (SHA-256 {recorded[0]}) from R2 into Storage (run without --dry-run)")
        return
    confirm(f"Copy {key} from R2 into Storage, replacing the object there if any?", yes=yes)
    with _stores() as stores:
        digest = pipeline.restore(stores, get_settings().media, key, recorded[0])
    emit_one({"key": key, "bytes": digest.size, "sha256": digest.sha256, "restored": True}, as_json=as_json)
