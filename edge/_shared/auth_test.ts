import { AuthError, verifyToken } from "./auth.ts";

const USER = "8d0f7a3e-5b1c-4f6a-9e2d-1c3b5a7d9e0f";
const encoder = new TextEncoder();

function b64url(bytes: Uint8Array | ArrayBuffer): string {
  const raw = String.fromCharCode(...new Uint8Array(bytes));
  return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function part(value: unknown): string {
  return b64url(encoder.encode(JSON.stringify(value)));
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: USER, aud: "authenticated", role: "authenticated", iat: now, exp: now + 3600, ...overrides };
}

async function hs256(body: Record<string, unknown>, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part(body)}`;
  return `${signed}.${b64url(await crypto.subtle.sign("HMAC", key, encoder.encode(signed)))}`;
}

async function es256(body: Record<string, unknown>, key: CryptoKey, kid: string): Promise<string> {
  const signed = `${part({ alg: "ES256", typ: "JWT", kid })}.${part(body)}`;
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, encoder.encode(signed));
  return `${signed}.${b64url(signature)}`;
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

const SECRET = "a-legacy-jwt-secret-of-32-characters!";
const hsOnly = { jwksUrl: null, jwtSecret: SECRET };

Deno.test("an HS256 user token is accepted and its claims returned", async () => {
  const verified = await verifyToken(await hs256(claims({ is_anonymous: false }), SECRET), hsOnly);
  assertEquals([verified.sub, verified.role, verified.is_anonymous], [USER, "authenticated", false]);
});

Deno.test("forged, expired, early, foreign and non-user tokens are refused", async () => {
  const now = Math.floor(Date.now() / 1000);
  await rejects(
    verifyToken(await hs256(claims(), "another-secret-of-32-characters!!!!"), hsOnly),
    "bad signature",
  );
  await rejects(verifyToken(await hs256(claims({ exp: now - 60 }), SECRET), hsOnly), "token expired");
  await rejects(verifyToken(await hs256(claims({ nbf: now + 60 }), SECRET), hsOnly), "token not valid yet");
  await rejects(
    verifyToken(await hs256(claims({ aud: "other" }), SECRET), hsOnly),
    "token is not for signed-in users",
  );
  await rejects(
    verifyToken(await hs256(claims({ role: "service_role" }), SECRET), hsOnly),
    "not a user token",
  );
  await rejects(verifyToken(await hs256(claims({ sub: "nobody" }), SECRET), hsOnly), "token has no user");
  await rejects(verifyToken("a.b", hsOnly), "malformed token");
  await rejects(verifyToken("e30.bm90IGpzb24.c2ln", hsOnly), "malformed token");
});

Deno.test("asymmetric keys are read from the JWKS, and re-read when a new key id appears", async () => {
  const generate = () =>
    crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as Promise<
      CryptoKeyPair
    >;
  const keys = [await generate()];
  const published = async () => ({
    keys: await Promise.all(
      keys.map(async (pair, i) => ({
        ...(await crypto.subtle.exportKey("jwk", pair.publicKey)),
        kid: `k${i}`,
        alg: "ES256",
      })),
    ),
  });
  let fetches = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async () => {
    fetches++;
    return Response.json(await published());
  });
  try {
    const verifier = {
      jwksUrl: `http://127.0.0.1:${server.addr.port}/auth/v1/.well-known/jwks.json`,
      jwtSecret: null,
    };
    assertEquals((await verifyToken(await es256(claims(), keys[0].privateKey, "k0"), verifier)).sub, USER);
    await verifyToken(await es256(claims(), keys[0].privateKey, "k0"), verifier);
    assertEquals(fetches, 1);
    keys.push(await generate()); // rotation: a token signed with the new key makes us re-read
    assertEquals((await verifyToken(await es256(claims(), keys[1].privateKey, "k1"), verifier)).sub, USER);
    assertEquals(fetches, 2);
    await rejects(verifyToken(await es256(claims(), keys[1].privateKey, "k0"), verifier), "bad signature");
    await rejects(verifyToken(await hs256(claims(), SECRET), verifier), "HS256 tokens are not accepted here");
  } finally {
    await server.shutdown();
  }
});
