/**
 * Requests and answers of the edge functions: JSON in, JSON out, errors in PostgREST's shape
 * (`{code, message, details, hint}`) so the app handles RPC and function errors the same way,
 * CORS for web clients, and one structured log line per request (never tokens, client
 * secrets, onboarding links or card data).
 */

import { AuthError } from "./auth.ts";
import { ConfigError } from "./config.ts";
import { DatabaseError } from "./db.ts";
import { ApiError } from "./errors.ts";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type",
  "access-control-allow-methods": "POST, OPTIONS",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json; charset=utf-8", ...CORS },
  });
}

/** The JSON object body of a POST, or a 400 saying what is wrong. */
export async function readBody(request: Request, maxBytes = 16_384): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > maxBytes) {
    throw new ApiError(413, "22023", "The request is too large.", "Send only the documented fields.");
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(400, "22023", "The body is not JSON.", "Send a JSON object.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "22023", "The body must be a JSON object.", "Send a JSON object.");
  }
  return body as Record<string, unknown>;
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthError) {
    return new ApiError(401, "LOGIN", `Not signed in: ${error.message}.`, "Sign in again and retry.");
  }
  if (error instanceof DatabaseError) return error.toApiError();
  if (error instanceof ConfigError) {
    return new ApiError(
      503,
      "EDCFG",
      "This function is not configured.",
      "Operators: set the secrets listed in docs/payments.md (Edge functions).",
    );
  }
  return new ApiError(
    500,
    "WSERR",
    "Something went wrong on our side.",
    "Retry later; report the request id if it persists.",
  );
}

/** Serve one request with ``handle``: CORS preflight, POST only, errors mapped, one log line. */
export async function serve(
  name: string,
  request: Request,
  handle: (request: Request, log: Record<string, unknown>) => Promise<Response>,
): Promise<Response> {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  const started = performance.now();
  const log: Record<string, unknown> = {
    function: name,
    request_id: request.headers.get("x-request-id") ?? crypto.randomUUID(),
  };
  let response: Response;
  try {
    if (request.method !== "POST") {
      throw new ApiError(405, "22023", "Use POST.", "Call it with supabase.functions.invoke.");
    }
    response = await handle(request, log);
  } catch (error) {
    const failure = toApiError(error);
    if (failure.status >= 500) {
      log.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    log.code = failure.code;
    response = json(failure.status, {
      code: failure.code,
      message: failure.message,
      details: failure.details,
      hint: failure.hint,
    }, failure.headers);
  }
  log.status = response.status;
  log.ms = Math.round(performance.now() - started);
  (response.status >= 500 ? console.error : console.log)(JSON.stringify(log));
  return response;
}
