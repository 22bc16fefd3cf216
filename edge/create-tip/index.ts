// Supabase Edge Function entrypoint (supabase/config.toml [functions.create-tip]).
import { handle } from "./handler.ts";

Deno.serve(handle);
