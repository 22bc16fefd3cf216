"""WhatsSound backend service: the Python half of the SQL-first Supabase backend."""

from __future__ import annotations

__version__ = "0.1.0"
