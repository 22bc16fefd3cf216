"""The service's exceptions: one root, one subclass per failure, each with a stable code.

Database errors are translated once, at the boundary (:func:`whatssound_svc.db.translate`),
by SQLSTATE and never by message text.
"""

from __future__ import annotations


class WhatsSoundError(Exception):
    """Something went wrong in the WhatsSound service."""

    #: Stable machine-readable code (see docs/error-codes.md); clients branch on it.
    code = "WSERR"
    #: HTTP status when this error ends a request.
    http_status = 500

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class DatabaseUnavailable(WhatsSoundError):
    """The database cannot be reached right now; retry later."""

    code = "DBDWN"
    http_status = 503


class MigrationError(WhatsSoundError):
    """The migrations cannot be applied as they are."""

    code = "MIGRT"


class MigrationEdited(MigrationError):
    """An already-applied migration file was edited; fix forward with a new migration instead."""


class ShimRefused(WhatsSoundError):
    """The local Supabase shim refuses to touch this database (it looks like a real Supabase)."""


class MalformedWebhook(WhatsSoundError):
    """The webhook delivery is not a well-formed event of its provider; nothing is stored."""

    code = "WHBAD"
    http_status = 400
