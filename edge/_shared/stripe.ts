/**
 * Stripe's API through the official SDK (npm `stripe`), pinned to one API version, with an
 * explicit retry budget (the SDK retries connection errors, 409 and what Stripe marks
 * `Stripe-Should-Retry`, reusing the request's Idempotency-Key) and a timeout short enough to
 * answer the app within its patience. Failures become STRPE answers with Stripe's type, code and
 * request id: 503 when the app may retry the same attempt (rate limited, unreachable), 502 when
 * it may not (a 500 is replayed for its key; a refusal is a bug or a restricted DJ account).
 */

import Stripe from "stripe";
import type { Config } from "./config.ts";
import { ApiError } from "./errors.ts";

export const API_VERSION = "2026-10-28.endive";

let client: Stripe | undefined;

export function stripe(config: Config): Stripe {
  if (!client) {
    const base = config.stripeApiBase;
    client = new Stripe(config.stripeSecretKey, {
      apiVersion: API_VERSION,
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 2,
      timeout: 8000,
      host: base.hostname,
      port: base.port ? Number(base.port) : base.protocol === "https:" ? 443 : 80,
      protocol: base.protocol === "https:" ? "https" : "http",
      appInfo: { name: "whatssound-edge" },
    });
  }
  return client;
}

/** Translate an error thrown by the SDK into the function's answer (anything else is re-thrown). */
export function stripeFailure(error: unknown): ApiError {
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  const details = {
    type: error.rawType ?? error.type,
    code: error.code ?? null,
    request_id: error.requestId ?? null,
  };
  if (
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeConnectionError
  ) {
    // Not executed, or its result is stored under the same Idempotency-Key: retrying is safe.
    const hint = "Retry in a few seconds with the same request id.";
    return new ApiError(503, "STRPE", "Payments are busy right now.", hint, details);
  }
  if (error instanceof Stripe.errors.StripeAPIError) {
    // Stripe replays a 500 for its Idempotency-Key for 24 h: only a new attempt can go through.
    return new ApiError(
      502,
      "STRPE",
      "The payment provider failed.",
      "Start a new tip (a new request id).",
      details,
    );
  }
  const hint = "Do not retry; contact support with the request id.";
  return new ApiError(502, "STRPE", "The payment provider refused the request.", hint, details);
}
