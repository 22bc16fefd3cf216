"""The local stack, never part of a production deploy: a PostgreSQL cluster without Docker, the
Supabase shim and bootstrap, `whatssound dev`'s extras (webhook secrets, the local S3 endpoint,
the live demo room), and one request exactly as PostgREST and Supabase Auth run it (behind
`whatssound rpc`, the simulator and the tests). Its third-party parts are the `local` extra."""
