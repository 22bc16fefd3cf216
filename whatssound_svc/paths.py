"""Where the repository's non-Python parts live (SQL, the Supabase project, local state)."""

from __future__ import annotations

from pathlib import Path

#: The repository root: the service is run from a checkout (editable install or container copy).
REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"
SHIM_DIR = SQL_DIR / "shim"
SUPABASE_DIR = REPO_ROOT / "supabase"
MIGRATIONS_DIR = SUPABASE_DIR / "migrations"
SEED_FILE = SUPABASE_DIR / "seed.sql"
#: Git-ignored folder for local databases, logs and run state.
LOCAL_DIR = REPO_ROOT / ".local"
