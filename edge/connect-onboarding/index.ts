// Supabase Edge Function entrypoint (supabase/config.toml [functions.connect-onboarding]).
import { handle } from "./handler.ts";

Deno.serve(handle);
