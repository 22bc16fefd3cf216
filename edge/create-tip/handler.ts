/**
 * create-tip: a listener tips the DJ of a live session.
 *
 *   POST /functions/v1/create-tip   Authorization: Bearer <the user's access token>
 *   { "session_id": uuid, "amount": 500, "currency": "usd", "request_id": uuid,
 *     "message"?: string, "boost_item_id"?: uuid }
 *   200 { "tip": {...}, "payment_intent": { "id", "client_secret", "status" }, "publishable_key" }
 *
 * `amount` is in the currency's smallest unit (cents; whole yen for zero-decimal currencies).
 * `request_id` is the app's id for this attempt: retrying with it (a dropped connection, a
 * second tap) returns the same tip and the same PaymentIntent, never a second charge.
 *
 * Steps: (1) as the caller, hidden.start_tip records the pending tip (RLS and every rule the
 * database enforces); (2) as service_role, hidden.tip_charge gives the charge's parameters;
 * (3) Stripe creates the PaymentIntent: a destination charge to the DJ's Express account with
 * the platform fee, Idempotency-Key `tip:<id>:create_pi`; (4) hidden.attach_tip_payment_intent
 * records it. A tip that already has a PaymentIntent is answered from Stripe (retrieve), so a
 * retry after 24 h (Stripe prunes idempotency keys) cannot create a second one. From then on
 * only Stripe's webhooks move the tip.
 */

import type Stripe from "stripe";
import { authenticate } from "../_shared/auth.ts";
import { type Config, loadConfig } from "../_shared/config.ts";
import { asCaller, asService, connect } from "../_shared/db.ts";
import { ApiError } from "../_shared/errors.ts";
import { json, readBody, serve } from "../_shared/http.ts";
import { stripe, stripeFailure } from "../_shared/stripe.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TipRequest {
  session_id: string;
  amount: number;
  currency: string;
  request_id: string;
  message: string | null;
  boost_item_id: string | null;
}

interface Charge {
  tip_id: string;
  amount: number;
  currency: string;
  fee_amount: number;
  status: string;
  payment_intent_id: string | null;
  destination: string | null;
  payable: boolean;
  dj_id: string;
  tipper_id: string;
  session_id: string;
}

function bad(field: string, rule: string): never {
  throw new ApiError(
    400,
    "22023",
    `${field} ${rule}.`,
    "See the create-tip request format in docs/payments.md.",
  );
}

export function parseTipRequest(body: Record<string, unknown>): TipRequest {
  const uuid = (name: string, optional = false): string | null => {
    const value = body[name];
    if ((value === undefined || value === null) && optional) return null;
    if (typeof value !== "string" || !UUID.test(value)) bad(name, "must be a UUID");
    return value.toLowerCase();
  };
  const { amount, currency, message } = body;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
    bad("amount", "must be a positive integer in the currency's smallest unit");
  }
  if (typeof currency !== "string" || !/^[A-Za-z]{3}$/.test(currency)) {
    bad("currency", "must be a 3-letter ISO code");
  }
  if (message !== undefined && message !== null && typeof message !== "string") {
    bad("message", "must be text");
  }
  return {
    session_id: uuid("session_id")!,
    amount,
    currency: currency.toLowerCase(),
    request_id: uuid("request_id")!,
    message: (message as string | null | undefined) ?? null,
    boost_item_id: uuid("boost_item_id", true),
  };
}

async function paymentIntent(config: Config, charge: Charge): Promise<Stripe.PaymentIntent> {
  const api = stripe(config);
  try {
    if (charge.payment_intent_id) return await api.paymentIntents.retrieve(charge.payment_intent_id);
    if (!charge.payable || !charge.destination) {
      throw new ApiError(
        400,
        "DJACC",
        "This DJ cannot take tips yet.",
        "The DJ has to finish payout onboarding with Stripe.",
      );
    }
    return await api.paymentIntents.create({
      amount: charge.amount,
      currency: charge.currency,
      application_fee_amount: charge.fee_amount,
      transfer_data: { destination: charge.destination },
      automatic_payment_methods: { enabled: true },
      description: "WhatsSound tip",
      metadata: {
        tip_id: charge.tip_id,
        dj_id: charge.dj_id,
        session_id: charge.session_id,
        tipper_id: charge.tipper_id,
      },
    }, { idempotencyKey: `tip:${charge.tip_id}:create_pi` });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw stripeFailure(error);
  }
}

export async function createTip(
  request: Request,
  config: Config,
  log: Record<string, unknown>,
): Promise<Response> {
  const claims = await authenticate(request, config);
  log.user_id = claims.sub;
  const tipRequest = parseTipRequest(await readBody(request));
  const sql = connect(config.dbUrl);
  // (1) as the caller, (2) as the service: one transaction, so a tip is never recorded unpriced.
  const { tip, charge } = await asCaller(sql, claims, async (tx) => {
    const [tip] = await tx`
      select to_jsonb(t) as tip from hidden.start_tip(${tipRequest.session_id}, ${tipRequest.amount},
        ${tipRequest.currency}, ${tipRequest.request_id}, ${tipRequest.message}, ${tipRequest.boost_item_id}) as t`;
    await tx`select set_config('role', 'service_role', true)`;
    const [charge] = await tx`select hidden.tip_charge(${tip.tip.id}) as charge`;
    return { tip: tip.tip, charge: charge.charge as Charge };
  });
  log.tip_id = tip.id;
  const intent = await paymentIntent(config, charge);
  if (charge.payment_intent_id !== intent.id) {
    await asService(sql, (tx) => tx`select hidden.attach_tip_payment_intent(${charge.tip_id}, ${intent.id})`);
  }
  log.payment_intent_id = intent.id;
  return json(200, {
    tip: {
      id: tip.id,
      session_id: tip.session_id,
      status: tip.status,
      amount: tip.amount,
      currency: tip.currency,
      fee_amount: tip.fee_amount,
      message: tip.message,
      boost_item_id: tip.boost_item_id,
    },
    payment_intent: { id: intent.id, client_secret: intent.client_secret, status: intent.status },
    publishable_key: config.stripePublishableKey,
  });
}

/** The function's entry: one request, served with the settings of the environment. */
export const handle = (request: Request): Promise<Response> =>
  serve("create-tip", request, (req, log) => createTip(req, loadConfig(), log));
