/**
 * Verify the caller's Supabase access token (the `Authorization: Bearer` header supabase-js
 * sends with `functions.invoke`).
 *
 * Supabase signs access tokens either with the project's asymmetric signing keys (ES256 or
 * RS256, public keys at <SUPABASE_URL>/auth/v1/.well-known/jwks.json) or, on older projects,
 * with the legacy HS256 secret. Both are verified with WebCrypto; the JWKS is cached for ten
 * minutes and re-read when a token names a key id we have not seen (key rotation). A token is
 * accepted only if its signature, `exp`/`nbf`, audience `authenticated`, role `authenticated`
 * and a UUID `sub` all check out: the anon and service keys are not users.
 */

export class AuthError extends Error {}

export interface Claims {
  sub: string;
  role: string;
  exp: number;
  is_anonymous?: boolean;
  [claim: string]: unknown;
}

export interface Verifier {
  jwksUrl: string | null;
  jwtSecret: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JWKS_TTL_MS = 10 * 60 * 1000;
const LEEWAY_S = 5;

function b64url(part: string): Uint8Array<ArrayBuffer> {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = atob(b64);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(new TextDecoder().decode(b64url(part)));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new AuthError("malformed token");
}

interface Jwk extends JsonWebKey {
  kid?: string;
}

const jwksCache = new Map<string, { at: number; keys: Jwk[] }>();

async function jwks(url: string, refresh: boolean): Promise<Jwk[]> {
  const cached = jwksCache.get(url);
  if (cached && !refresh && Date.now() - cached.at < JWKS_TTL_MS) return cached.keys;
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new AuthError(`cannot read the signing keys (${response.status})`);
  const body = await response.json();
  const keys: Jwk[] = Array.isArray(body?.keys) ? body.keys : [];
  jwksCache.set(url, { at: Date.now(), keys });
  return keys;
}

const ALGORITHMS: Record<
  string,
  { import: EcKeyImportParams | RsaHashedImportParams; verify: AlgorithmIdentifier | EcdsaParams }
> = {
  ES256: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
};

async function verifySignature(
  header: Record<string, unknown>,
  signed: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  verifier: Verifier,
): Promise<boolean> {
  const alg = header.alg;
  if (alg === "HS256") {
    if (verifier.jwtSecret === null) throw new AuthError("HS256 tokens are not accepted here");
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(verifier.jwtSecret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    return await crypto.subtle.verify("HMAC", key, signature, signed);
  }
  const algorithm = typeof alg === "string" ? ALGORITHMS[alg] : undefined;
  if (!algorithm || verifier.jwksUrl === null) throw new AuthError(`unsupported token algorithm ${alg}`);
  const find = (keys: Jwk[]) =>
    keys.find((k) => k.kid === header.kid && (k.alg === undefined || k.alg === alg));
  const jwk = find(await jwks(verifier.jwksUrl, false)) ?? find(await jwks(verifier.jwksUrl, true));
  if (!jwk) throw new AuthError("unknown signing key");
  const key = await crypto.subtle.importKey("jwk", jwk, algorithm.import, false, ["verify"]);
  return await crypto.subtle.verify(algorithm.verify, key, signature, signed);
}

/** The verified claims of a bearer token, or AuthError saying why it is refused. */
export async function verifyToken(
  token: string,
  verifier: Verifier,
  nowSeconds = Date.now() / 1000,
): Promise<Claims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new AuthError("malformed token");
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await verifySignature(header, signed, b64url(parts[2]), verifier))) {
    throw new AuthError("bad signature");
  }
  if (typeof claims.exp !== "number" || claims.exp + LEEWAY_S < nowSeconds) {
    throw new AuthError("token expired");
  }
  if (typeof claims.nbf === "number" && claims.nbf - LEEWAY_S > nowSeconds) {
    throw new AuthError("token not valid yet");
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes("authenticated")) throw new AuthError("token is not for signed-in users");
  if (claims.role !== "authenticated") throw new AuthError("not a user token");
  if (typeof claims.sub !== "string" || !UUID.test(claims.sub)) throw new AuthError("token has no user");
  return claims as Claims;
}

/** The claims of the request's `Authorization: Bearer <token>`, verified. */
export async function authenticate(request: Request, verifier: Verifier): Promise<Claims> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AuthError("missing bearer token");
  return await verifyToken(match[1], verifier);
}
