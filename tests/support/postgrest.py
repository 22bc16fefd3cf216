"""Act on the database exactly as PostgREST does for one HTTP request: the package's harness
(:mod:`whatssound_svc.local.postgrest`, also behind ``whatssound rpc``), under the name tests import."""

from __future__ import annotations

from whatssound_svc.local.postgrest import (
    HasIdentity,
    Identity,
    PostgrestError,
    UnknownFunction,
    as_user,
    request,
    rpc,
)

__all__ = ["HasIdentity", "Identity", "PostgrestError", "UnknownFunction", "as_user", "request", "rpc"]
