import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { AuthError, verifyToken } from "./auth.ts";

const USER = "8d0f7a3e-5b1c-4f6a-9e2d-1c3b5a7d9e0f";
const ISSUER = "http://127.0.0.1:54321/auth/v1";
const SECRET = "a-legacy-jwt-secret-of-32-characters!";
const encoder = new TextEncoder();
const hsOnly = { jwtIssuer: ISSUER, jwksUrl: null, jwtSecret: SECRET };

/** The claims Supabase Auth puts in a signed-in user's access token. */
function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const base = {
    iss: ISSUER,
    sub: USER,
    aud: "authenticated",
    role: "authenticated",
    iat: now,
    exp: now + 3600,
  };
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, v]) => v !== undefined));
}

function hs256(body: JWTPayload, secret: string | Uint8Array = SECRET): Promise<string> {
  const key = typeof secret === "string" ? encoder.encode(secret) : secret;
  return new SignJWT(body).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
}

function b64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function rejects(promise: Promise<unknown>, reason: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError && error.message === reason) return;
    throw new Error(`expected AuthError(${reason}), got ${error}`);
  }
  throw new Error(`expected AuthError(${reason}), got success`);
}

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
  }
}

/** A JWKS served on 127.0.0.1 as Supabase Auth publishes it; `keys` may grow (rotation). */
type PublishedKey = { kid: string; alg: "ES256" | "RS256"; pair: CryptoKeyPair };

async function withJwks(
  keys: PublishedKey[],
  run: (jwksUrl: string, fetches: () => number) => Promise<void>,
): Promise<void> {
  let fetches = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async () => {
    fetches++;
    const published = await Promise.all(
      keys.map(async ({ kid, alg, pair }) => ({
        ...(await exportJWK(pair.publicKey)),
        kid,
        alg,
        use: "sig",
      })),
    );
    return Response.json({ keys: published });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}/auth/v1/.well-known/jwks.json`, () => fetches);
  } finally {
    await server.shutdown();
  }
}

function signed(body: JWTPayload, alg: string, kid: string, key: CryptoKey): Promise<string> {
  return new SignJWT(body).setProtectedHeader({ alg, typ: "JWT", kid }).sign(key);
}

Deno.test("an HS256 user token is accepted and its claims returned", async () => {
  const verified = await verifyToken(await hs256(claims({ is_anonymous: false })), hsOnly);
  assertEquals([verified.sub, verified.role, verified.is_anonymous], [USER, "authenticated", false]);
});

Deno.test("forged, expired, early, foreign and non-user tokens are refused", async () => {
  const now = Math.floor(Date.now() / 1000);
  const refused = async (token: Promise<string>, reason: string) =>
    await rejects(verifyToken(await token, hsOnly), reason);
  await refused(hs256(claims(), "another-secret-of-32-characters!!!!"), "bad signature");
  await refused(hs256(claims({ exp: now - 60 })), "token expired");
  await refused(hs256(claims({ exp: undefined })), "token claim exp is missing or invalid");
  await refused(hs256(claims({ nbf: now + 60 })), "token not valid yet");
  await refused(
    hs256(claims({ iss: "https://another-project.supabase.co/auth/v1" })),
    "token is from another issuer",
  );
  await refused(hs256(claims({ iss: undefined })), "token is from another issuer");
  await refused(hs256(claims({ aud: "other" })), "token is not for signed-in users");
  await refused(hs256(claims({ aud: undefined })), "token is not for signed-in users");
  await refused(hs256(claims({ role: "service_role" })), "not a user token");
  await refused(hs256(claims({ sub: "nobody" })), "token has no user");
  await rejects(verifyToken("a.b", hsOnly), "malformed token");
  await rejects(verifyToken("e30.bm90IGpzb24.c2ln", hsOnly), "malformed token");
});

Deno.test("alg none is refused, however the verifier is configured", async () => {
  const unsigned = `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${
    b64url(JSON.stringify(claims()))
  }.`;
  await rejects(verifyToken(unsigned, hsOnly), "token algorithm not accepted here");
  await withJwks([], async (jwksUrl) => {
    await rejects(verifyToken(unsigned, { ...hsOnly, jwksUrl }), "token algorithm not accepted here");
  });
});

Deno.test("asymmetric keys are read from the JWKS, cached, and re-read when a new key id appears", async () => {
  const keys: PublishedKey[] = [{ kid: "k0", alg: "ES256", pair: await generateKeyPair("ES256") }];
  await withJwks(keys, async (jwksUrl, fetches) => {
    const verifier = { jwtIssuer: ISSUER, jwksUrl, jwtSecret: null };
    const es256 = (kid: string, key: CryptoKey) => signed(claims(), "ES256", kid, key);
    assertEquals((await verifyToken(await es256("k0", keys[0].pair.privateKey), verifier)).sub, USER);
    await verifyToken(await es256("k0", keys[0].pair.privateKey), verifier);
    assertEquals(fetches(), 1);
    keys.push({ kid: "k1", alg: "RS256", pair: await generateKeyPair("RS256") }); // rotation
    const rs256 = await signed(claims(), "RS256", "k1", keys[1].pair.privateKey);
    await rejects(verifyToken(rs256, verifier), "unknown signing key"); // within jose's 30 s cooldown
    const realNow = Date.now;
    Date.now = () => realNow() + 31_000;
    try {
      assertEquals((await verifyToken(rs256, verifier)).sub, USER);
    } finally {
      Date.now = realNow;
    }
    assertEquals(fetches(), 2);
    const wrongKey = await es256("k0", (await generateKeyPair("ES256")).privateKey);
    await rejects(verifyToken(wrongKey, verifier), "bad signature");
    await rejects(verifyToken(await hs256(claims()), verifier), "token algorithm not accepted here");
    const elsewhere = await signed(
      claims({ iss: "https://x.supabase.co/auth/v1" }),
      "ES256",
      "k0",
      keys[0].pair.privateKey,
    );
    await rejects(verifyToken(elsewhere, verifier), "token is from another issuer");
  });
});

Deno.test("HS/RS confusion: a token HMAC-signed with the public key is refused", async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  await withJwks([{ kid: "rsa", alg: "RS256", pair }], async (jwksUrl) => {
    const publicPem = await exportSPKI(pair.publicKey);
    const publicJwk = JSON.stringify(await exportJWK(pair.publicKey));
    for (const material of [publicPem, publicJwk]) {
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", typ: "JWT", kid: "rsa" })
        .sign(encoder.encode(material));
      await rejects(
        verifyToken(forged, { ...hsOnly, jwksUrl, jwtSecret: null }),
        "token algorithm not accepted here",
      );
      await rejects(verifyToken(forged, { ...hsOnly, jwksUrl }), "bad signature");
    }
    const genuine = await signed(claims(), "RS256", "rsa", pair.privateKey);
    assertEquals((await verifyToken(genuine, { ...hsOnly, jwksUrl })).sub, USER);
    await rejects(verifyToken(genuine, hsOnly), "token algorithm not accepted here");
  });
});

Deno.test("an unreachable JWKS refuses the token instead of trusting it", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const pair = await generateKeyPair("ES256");
  const verifier = {
    jwtIssuer: ISSUER,
    jwksUrl: `http://127.0.0.1:${port}/auth/v1/.well-known/jwks.json`,
    jwtSecret: null,
  };
  await rejects(
    verifyToken(await signed(claims(), "ES256", "k0", pair.privateKey), verifier),
    "cannot read the signing keys",
  );
});
