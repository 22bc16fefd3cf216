/**
 * Every edge function behind one local server, at the paths Supabase serves them
 * (`/functions/v1/<name>`): what `make dev` and the tests run instead of the edge runtime.
 * PORT (default 54331; 0 picks a free one) and the functions' settings come from the environment.
 */

import { handle as connectOnboarding } from "./connect-onboarding/handler.ts";
import { handle as createTip } from "./create-tip/handler.ts";
import { json } from "./_shared/http.ts";

const FUNCTIONS: Record<string, (request: Request) => Promise<Response>> = {
  "connect-onboarding": connectOnboarding,
  "create-tip": createTip,
};

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? "54331"),
  onListen: ({ hostname, port }) => console.log(JSON.stringify({ listening: `http://${hostname}:${port}` })),
}, (request) => {
  const name = new URL(request.url).pathname.replace(/^\/functions\/v1\//, "");
  const handler = FUNCTIONS[name];
  return handler ? handler(request) : Promise.resolve(json(404, {
    code: "P0002",
    message: `No function ${name}.`,
    details: { functions: Object.keys(FUNCTIONS) },
    hint: "Check the function name.",
  }));
});
