/**
 * Verify the caller's Supabase access token (the `Authorization: Bearer` header supabase-js
 * sends with `functions.invoke`), with `jose`.
 *
 * Supabase signs access tokens either with the project's asymmetric signing keys (ES256 or
 * RS256, public keys at <SUPABASE_URL>/auth/v1/.well-known/jwks.json) or, on older projects,
 * with the legacy HS256 secret. The algorithms accepted are the ones configured (HS256 only with
 * a secret, ES256/RS256 only with a JWKS), never what a token asks for: `none` and a token
 * claiming HS256 against a public key are refused by jose. The JWKS is jose's remote key set
 * (cached ten minutes, re-read when a token names a key id it has not seen, at most every 30 s).
 * A token is accepted only if its signature, `exp` (required) and `nbf`, issuer (Supabase Auth:
 * <SUPABASE_URL>/auth/v1), audience `authenticated`, role `authenticated` and a UUID `sub` all
 * check out: the anon and service keys are not users.
 */

import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

export class AuthError extends Error {}

export interface Claims {
  sub: string;
  role: string;
  exp: number;
  is_anonymous?: boolean;
  [claim: string]: unknown;
}

export interface Verifier {
  /** The `iss` Supabase Auth puts in its tokens. */
  jwtIssuer: string;
  /** Where the project's JWKS is published; null when only HS256 is accepted. */
  jwksUrl: string | null;
  /** Legacy HS256 secret; null when only the asymmetric keys are accepted. */
  jwtSecret: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LEEWAY_S = 5;
const ASYMMETRIC = ["ES256", "RS256"];
/** One remote key set per URL for the isolate's lifetime (settings are read per request). */
const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000, cacheMaxAge: 10 * 60 * 1000 });
    keySets.set(url, keys);
  }
  return keys;
}

/** Why jose refused a token, in words for the 401 (never the token itself). */
function reason(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "token expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED": {
      const claim = (error as { claim?: string }).claim;
      if (claim === "iss") return "token is from another issuer";
      if (claim === "aud") return "token is not for signed-in users";
      if (claim === "nbf") return "token not valid yet";
      return `token claim ${claim} is missing or invalid`;
    }
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "bad signature";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return "token algorithm not accepted here";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "unknown signing key";
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
      return "malformed token";
    default:
      return "cannot read the signing keys"; // JWKS timeout, unreachable, not 200, not a key set
  }
}

/** The verified claims of a bearer token, or AuthError saying why it is refused. */
export async function verifyToken(token: string, verifier: Verifier): Promise<Claims> {
  const secret = verifier.jwtSecret === null ? null : new TextEncoder().encode(verifier.jwtSecret);
  const jwks = verifier.jwksUrl === null ? null : keySet(verifier.jwksUrl);
  const algorithms = [...(secret ? ["HS256"] : []), ...(jwks ? ASYMMETRIC : [])];
  // jose checks the header's alg against `algorithms` before asking for a key, and the key's type
  // against the alg after: the secret only ever verifies HS256, the JWKS only ES256/RS256.
  const key: JWTVerifyGetKey = async (header, jws) => {
    if (header.alg === "HS256" && secret) return secret;
    if (header.alg !== "HS256" && jwks) return await jwks(header, jws);
    throw new errors.JOSEAlgNotAllowed("no key for this algorithm");
  };
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms,
      issuer: verifier.jwtIssuer,
      audience: "authenticated",
      requiredClaims: ["exp"],
      clockTolerance: LEEWAY_S,
    }));
  } catch (error) {
    throw new AuthError(reason(error));
  }
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
