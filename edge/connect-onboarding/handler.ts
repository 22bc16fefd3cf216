/**
 * connect-onboarding: a DJ gets paid out through a Stripe Express connected account.
 *
 *   POST /functions/v1/connect-onboarding   Authorization: Bearer <the DJ's access token>
 *   {}
 *   200 { "kind": "onboarding" | "dashboard", "url", "expires_at", "account": { readiness } }
 *
 * The first call creates the DJ's Express account (Idempotency-Key `dj:<id>:create_account`, so
 * two taps make one account) and records it; every call mints a fresh single-use link: the
 * onboarding form while Stripe still needs details, the Express dashboard once they are in.
 * Links are never stored or logged. Readiness (`charges_enabled`, `payouts_enabled`,
 * requirements) is read from our database, where only Stripe's account.updated events write
 * it: nothing the app says can make a DJ payable. Return and refresh URLs come from settings,
 * never from the request (no open redirect).
 */

import type Stripe from "stripe";
import { authenticate } from "../_shared/auth.ts";
import { type Config, loadConfig } from "../_shared/config.ts";
import { asCaller, asService, connect } from "../_shared/db.ts";
import { ApiError } from "../_shared/errors.ts";
import { json, readBody, serve } from "../_shared/http.ts";
import { stripe, stripeFailure } from "../_shared/stripe.ts";

interface PayoutAccount {
  dj_id: string | null;
  stripe_account_id: string | null;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  requirements_due: string[];
  disabled_reason: string | null;
}

async function createAccount(api: Stripe, djId: string, country: string): Promise<Stripe.Account> {
  return await api.accounts.create({
    country,
    controller: {
      stripe_dashboard: { type: "express" },
      fees: { payer: "application" },
      losses: { payments: "application" },
      requirement_collection: "stripe",
    },
    capabilities: { transfers: { requested: true } },
    metadata: { dj_id: djId },
  }, { idempotencyKey: `dj:${djId}:create_account` });
}

export async function connectOnboarding(
  request: Request,
  config: Config,
  log: Record<string, unknown>,
): Promise<Response> {
  const claims = await authenticate(request, config);
  log.user_id = claims.sub;
  await readBody(request);
  if (!config.connectReturnUrl || !config.connectRefreshUrl) {
    throw new ApiError(
      503,
      "EDCFG",
      "Payout onboarding is not configured.",
      "Operators: set WHATSSOUND_CONNECT_RETURN_URL and _REFRESH_URL.",
    );
  }
  const sql = connect(config.dbUrl);
  let account = await asCaller(sql, claims, async (tx) => {
    const [row] = await tx`select to_jsonb(hidden.begin_payout_onboarding()) as account`;
    return row.account as PayoutAccount;
  });
  const api = stripe(config);
  try {
    if (!account.stripe_account_id) {
      const created = await createAccount(api, claims.sub, config.connectCountry);
      account = await asService(sql, async (tx) => {
        const [row] =
          await tx`select to_jsonb(hidden.record_payout_account(${claims.sub}, ${created.id})) as account`;
        return row.account as PayoutAccount;
      });
      log.created_account = true;
    }
    const id = account.stripe_account_id!;
    // A fresh link each time: links are single-use and expire within minutes (no fixed idempotency key).
    const link = account.details_submitted
      ? { kind: "dashboard", ...(await api.accounts.createLoginLink(id)), expires_at: null }
      : {
        kind: "onboarding",
        ...(await api.accountLinks.create({
          account: id,
          type: "account_onboarding",
          refresh_url: config.connectRefreshUrl,
          return_url: config.connectReturnUrl,
          collection_options: { fields: "currently_due" },
        })),
      };
    return json(200, {
      kind: link.kind,
      url: link.url,
      expires_at: link.expires_at,
      account: {
        charges_enabled: account.charges_enabled,
        payouts_enabled: account.payouts_enabled,
        details_submitted: account.details_submitted,
        requirements_due: account.requirements_due,
        disabled_reason: account.disabled_reason,
      },
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw stripeFailure(error);
  }
}

/** The function's entry: one request, served with the settings of the environment. */
export const handle = (request: Request): Promise<Response> =>
  serve("connect-onboarding", request, (req, log) => connectOnboarding(req, loadConfig(), log));
