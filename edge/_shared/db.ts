/**
 * Postgres, spoken directly (as the issue asks: one transaction per step, acting as the caller).
 *
 * `asCaller` runs a transaction the way PostgREST runs a request: `role` authenticated and
 * `request.jwt.claims` set transaction-locally, so RLS and every `auth.uid()` check apply, then
 * PostgREST's pre-request hook (`hidden.check_request`: a suspended account is refused).
 * `asService` does the same as service_role for the few service-only helpers. Errors raised
 * by the database keep their SQLSTATE, message, details and hint; the HTTP status is the one
 * PostgREST would answer (`statusOf`, and a `PGRST` raise's own status and headers), so the app
 * sees what it would see from an RPC.
 */

import postgres from "postgres";
import type { Claims } from "./auth.ts";
import { ApiError } from "./errors.ts";

export type Tx = postgres.TransactionSql;

// PostgREST's mapSQLtoHTTP (PostgREST/postgrest@4834678, src/library/PostgREST/Error.hs), in its
// order; whatssound_svc/postgrest.py's status_of is the same table (tests/unit/test_postgrest_statuses.py).
const STATUS_BY_PREFIX: [string, number][] = [
  ["08", 503],
  ["09", 500],
  ["0L", 403],
  ["0P", 403],
  ["23503", 409],
  ["23505", 409],
  ["25006", 405],
  ["25", 500],
  ["28", 403],
  ["2D", 500],
  ["38", 500],
  ["39", 500],
  ["3B", 500],
  ["40", 500],
  ["53400", 500],
  ["53", 503],
  ["54", 500],
  ["55", 500],
  ["57P01", 503],
  ["57", 500],
  ["58", 500],
  ["F0", 500],
  ["HV", 500],
  ["P0001", 400],
  ["P0", 500],
  ["XX", 500],
  ["42P01", 404],
  ["42P17", 500],
];

/** The HTTP status PostgREST answers a database error with (a signed-in caller: 42501 is 403). */
export function statusOf(code: string, message: string): number {
  if (code === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (code === "22023") return message.startsWith("role") && message.endsWith("does not exist") ? 401 : 400;
  if (code === "42883") return message.startsWith("function xmlagg(") ? 406 : 404;
  if (code === "42501") return 403;
  if (code.startsWith("PT")) return /^\d+$/.test(code.slice(2)) ? Number(code.slice(2)) : 500;
  return STATUS_BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] ?? 400;
}

/** A `raise sqlstate 'PGRST'`: MESSAGE is the body, DETAIL the status and headers (parseRaisePGRST). */
function fromRaise(message: string, detail: string | undefined): ApiError | undefined {
  try {
    const body = JSON.parse(message);
    const response = JSON.parse(detail ?? "");
    if (typeof body?.code !== "string" || typeof response?.status !== "number") return undefined;
    let details: unknown = body.details ?? null;
    try {
      details = typeof details === "string" ? JSON.parse(details) : details;
    } catch {
      // plain-text details
    }
    return new ApiError(
      response.status,
      body.code,
      body.message,
      body.hint ?? "",
      details,
      response.headers ?? {},
    );
  } catch {
    return undefined;
  }
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "ENOTFOUND",
  "57P01",
  "57P03",
  "53300",
]);

export class DatabaseError extends Error {
  constructor(readonly failure: postgres.PostgresError | Error & { code?: string }) {
    super(failure.message);
  }

  toApiError(): ApiError {
    const code = this.failure.code ?? "";
    if (UNREACHABLE.has(code) || code.startsWith("08")) {
      return new ApiError(
        503,
        "DBDWN",
        "The database cannot be reached right now.",
        "Retry with backoff (same request id).",
      );
    }
    if (!(this.failure instanceof postgres.PostgresError)) throw this.failure;
    if (code === "PGRST") {
      const raised = fromRaise(this.failure.message, this.failure.detail);
      if (raised) return raised;
    }
    let details: unknown = this.failure.detail ?? null;
    try {
      details = typeof details === "string" ? JSON.parse(details) : details;
    } catch {
      // plain-text detail
    }
    const status = statusOf(code, this.failure.message);
    return new ApiError(status, code, this.failure.message, this.failure.hint ?? "", details);
  }
}

let pool: postgres.Sql | undefined;

/** The shared pool (small: an edge isolate serves few requests at once; hosted: the transaction pooler). */
export function connect(url: string): postgres.Sql {
  pool ??= postgres(url, {
    max: 3,
    prepare: false, // Supavisor in transaction mode has no prepared statements
    idle_timeout: 20,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "whatssound-edge" },
  });
  return pool;
}

async function inTransaction<T>(
  sql: postgres.Sql,
  role: string,
  claims: object,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${
        JSON.stringify(claims)
      }, true)`;
      // PostgREST's pre-request hook (pgrst.db_pre_request): this path bypasses PostgREST, so it
      // runs the hook itself; a suspended caller is refused here as on every API request.
      await tx`select hidden.check_request()`;
      return await work(tx);
    }) as T;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof Error) throw new DatabaseError(error);
    throw error;
  }
}

/** One transaction as the signed-in caller (RLS applies). */
export function asCaller<T>(sql: postgres.Sql, claims: Claims, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(sql, "authenticated", claims, work);
}

/** One transaction as service_role (service-only helpers in the `hidden` schema). */
export function asService<T>(sql: postgres.Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(sql, "service_role", { role: "service_role" }, work);
}
