import { ApiError } from "../_shared/errors.ts";
import { parseTipRequest } from "./handler.ts";

const SESSION = "3f6c1a2e-0b7d-4c8e-9f10-a1b2c3d4e5f6";
const REQUEST = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

function refused(body: Record<string, unknown>): string {
  try {
    parseTipRequest(body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && error.code === "22023") return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

Deno.test("a tip request is normalised: lower-case currency and ids, optional fields null", () => {
  const parsed = parseTipRequest({
    session_id: SESSION.toUpperCase(),
    amount: 500,
    currency: "JPY",
    request_id: REQUEST,
  });
  if (
    parsed.session_id !== SESSION || parsed.currency !== "jpy" || parsed.message !== null ||
    parsed.boost_item_id !== null || parsed.amount !== 500
  ) throw new Error(JSON.stringify(parsed));
});

Deno.test("amounts are positive integers of the smallest unit; ids are UUIDs", () => {
  const valid = { session_id: SESSION, amount: 500, currency: "usd", request_id: REQUEST };
  for (const amount of [0, -5, 5.5, "500", 2 ** 60]) {
    const message = refused({ ...valid, amount });
    if (!message.startsWith("amount")) throw new Error(message);
  }
  if (!refused({ ...valid, currency: "dollars" }).startsWith("currency")) throw new Error("currency");
  if (!refused({ ...valid, request_id: "retry-1" }).startsWith("request_id")) throw new Error("request_id");
  if (!refused({ ...valid, boost_item_id: 7 }).startsWith("boost_item_id")) throw new Error("boost_item_id");
  if (!refused({ ...valid, message: { text: "hi" } }).startsWith("message")) throw new Error("message");
});
