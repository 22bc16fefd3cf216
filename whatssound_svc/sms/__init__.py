"""The send-SMS auth hook: Supabase Auth's OTP texts, checked against SMS pumping, sent, audited.

``webhooks`` verifies Supabase Auth's signature, ``guard`` applies the fraud rules (number
checks here, velocity limits in PostgreSQL), ``providers`` talks to the SMS provider, ``reasons``
holds the stable codes and what each answers, ``hook`` is the HTTP endpoint. docs/auth-sms.md.
"""

from __future__ import annotations
