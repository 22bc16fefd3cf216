/**
 * Settings of the edge functions, read from the environment once and validated.
 *
 * On hosted Supabase, SUPABASE_URL and SUPABASE_DB_URL are provided; the rest are secrets set
 * with `supabase secrets set` (names may not start with SUPABASE_). Locally and in tests the same
 * names are set by whoever starts the functions.
 */

export class ConfigError extends Error {}

export interface Config {
  /** Postgres connection string (hosted: the transaction pooler, port 6543). */
  dbUrl: string;
  /** The `iss` of the project's access tokens: WHATSSOUND_JWT_ISSUER, else <SUPABASE_URL>/auth/v1. */
  jwtIssuer: string;
  /** Where the project's JWKS is published (asymmetric JWT signing keys); null when only HS256 is used. */
  jwksUrl: string | null;
  /** Legacy HS256 JWT secret (WHATSSOUND_JWT_SECRET); null when the project signs with asymmetric keys. */
  jwtSecret: string | null;
  /** Stripe secret (sk_...) or restricted (rk_...) key. */
  stripeSecretKey: string;
  /** Stripe publishable key (pk_...), returned to the app for its payment sheet. */
  stripePublishableKey: string;
  /** Stripe API base URL: https://api.stripe.com, or a loopback fake in tests. */
  stripeApiBase: URL;
  /** Country of new Express accounts (ISO 3166-1 alpha-2). */
  connectCountry: string;
  /** Where Stripe sends the DJ back after onboarding (an app link or web page). */
  connectReturnUrl: string | null;
  /** Where Stripe sends the DJ when the onboarding link expired (it must call connect-onboarding again). */
  connectRefreshUrl: string | null;
}

type Env = { get(name: string): string | undefined };

function optional(env: Env, name: string): string | null {
  const value = env.get(name)?.trim();
  return value ? value : null;
}

function required(env: Env, name: string, pattern?: RegExp): string {
  const value = optional(env, name);
  if (value === null) throw new ConfigError(`${name} is not set`);
  if (pattern && !pattern.test(value)) {
    throw new ConfigError(`${name} does not look right (expected ${pattern})`);
  }
  return value;
}

function httpsUrl(env: Env, name: string): string | null {
  const value = optional(env, name);
  if (value !== null && !/^(https:\/\/|[a-z][a-z0-9+.-]*:\/\/)/.test(value)) {
    throw new ConfigError(`${name} must be an absolute URL (https:// or the app's scheme)`);
  }
  return value;
}

/** Read and validate the settings (throws ConfigError naming what is missing). */
export function loadConfig(env: Env = Deno.env): Config {
  const supabaseUrl = optional(env, "SUPABASE_URL");
  const jwtSecret = optional(env, "WHATSSOUND_JWT_SECRET");
  if (supabaseUrl === null && jwtSecret === null) {
    throw new ConfigError("set SUPABASE_URL (JWKS) or WHATSSOUND_JWT_SECRET (HS256) to verify callers");
  }
  // Locally `supabase functions serve` sets SUPABASE_URL to the gateway inside Docker while tokens
  // name the public API URL: WHATSSOUND_JWT_ISSUER says which issuer to expect.
  const jwtIssuer = optional(env, "WHATSSOUND_JWT_ISSUER") ??
    (supabaseUrl === null ? null : new URL("/auth/v1", supabaseUrl).href);
  if (jwtIssuer === null) {
    throw new ConfigError("set SUPABASE_URL or WHATSSOUND_JWT_ISSUER (the tokens' iss) to verify callers");
  }
  return {
    dbUrl: required(env, "SUPABASE_DB_URL", /^postgres(ql)?:\/\//),
    jwtIssuer,
    jwksUrl: supabaseUrl === null ? null : new URL("/auth/v1/.well-known/jwks.json", supabaseUrl).href,
    jwtSecret,
    stripeSecretKey: required(env, "STRIPE_SECRET_KEY", /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/),
    stripePublishableKey: required(env, "STRIPE_PUBLISHABLE_KEY", /^pk_(test|live)_[A-Za-z0-9]+$/),
    stripeApiBase: new URL(optional(env, "STRIPE_API_BASE") ?? "https://api.stripe.com"),
    connectCountry: optional(env, "WHATSSOUND_CONNECT_COUNTRY")?.toUpperCase() ?? "US",
    connectReturnUrl: httpsUrl(env, "WHATSSOUND_CONNECT_RETURN_URL"),
    connectRefreshUrl: httpsUrl(env, "WHATSSOUND_CONNECT_REFRESH_URL"),
  };
}
