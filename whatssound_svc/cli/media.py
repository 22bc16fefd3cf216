"""``whatssound media``: the R2 backup of every original — check it, bring one back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import psycopg
import typer
from botocore.exceptions import BotoCoreError, ClientError

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit, emit_one
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.media import objectstore, pipeline
from whatssound_svc.media.settings import get_media_settings

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
    settings = get_media_settings()
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
    """Report originals whose R2 copy is missing, mismatched (size, or SHA-256 with --deep), not
    copied yet (pending) or given up (failed), and copies of deleted originals (orphaned).
    Exits 1 when any original could not be restored as it is.

    Example: whatssound media verify --deep
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select o.bucket_id, o.name, b.state, b.sha256, b.size_bytes"
            " from storage.objects as o left join private.media_backups as b on b.object_id = o.id"
            " where o.bucket_id in ('avatars', 'covers', 'audio')"
            " union all select b.bucket_id, b.name, 'deleted', b.sha256, b.size_bytes"
            " from private.media_backups as b"
            " where not exists (select 1 from storage.objects as o where o.id = b.object_id)"
        ).fetchall()
    with _stores() as stores:
        problems, checked = _compare(stores, rows, deep=deep)
    title = f"{checked} original(s) checked{' deeply' if deep else ''}, {len(problems)} problem(s)"
    emit(("key", "problem", "detail"), problems, as_json=as_json, title=title)
    if any(problem in LOSSES for _, problem, _ in problems):
        raise typer.Exit(1)


def _compare(
    stores: pipeline.Stores, rows: list[tuple[Any, ...]], *, deep: bool
) -> tuple[list[tuple[str, str, str]], int]:
    """Each original's recorded copy against R2's listing (and contents, when deep)."""
    settings = get_media_settings()
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
) -> None:
    """Copy one original back from R2 into Storage, after checking it is the copy recorded at
    backup time (its SHA-256). Storage records the object again as it stores it.

    Example: whatssound media restore audio/3f6c1a2e-.../friday-set.mp3
    """
    bucket, _, name = key.partition("/")
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        recorded = conn.execute(
            "select sha256 from private.media_backups"
            " where bucket_id = %s and name = %s and state = 'copied'",
            (bucket, name),
        ).fetchone()
    if recorded is None:
        typer.echo(f"{key}: no verified backup is recorded; see `whatssound media verify`", err=True)
        raise typer.Exit(1)
    with _stores() as stores:
        digest = pipeline.restore(stores, get_media_settings(), key, recorded[0])
    emit_one({"key": key, "bytes": digest.size, "sha256": digest.sha256, "restored": True}, as_json=as_json)
