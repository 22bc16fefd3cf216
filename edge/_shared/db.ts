/**
 * Postgres, spoken directly (as the issue asks: one transaction per step, acting as the caller).
 *
 * `asCaller` runs a transaction the way PostgREST runs a request: `role` authenticated and
 * `request.jwt.claims` set transaction-locally, so RLS and every `auth.uid()` check apply, then
 * PostgREST's pre-request hook (`hidden.check_request`: a suspended account is refused).
 * `asService` does the same as service_role for the few service-only helpers. Errors raised
 * by the database keep their SQLSTATE, message, details and hint; the HTTP status follows
 * PostgREST's table, so the app sees what it would see from an RPC.
 */

import postgres from "postgres";
import type { Claims } from "./auth.ts";
import { ApiError } from "./errors.ts";

export type Tx = postgres.TransactionSql;

const STATUS: Record<string, number> = { LOGIN: 401, "42501": 403, P0002: 404, RATEL: 429 };
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
    let details: unknown = this.failure.detail ?? null;
    try {
      details = typeof details === "string" ? JSON.parse(details) : details;
    } catch {
      // plain-text detail
    }
    const status = STATUS[code] ??
      (code.startsWith("22") ? 400 : code.startsWith("5") || code.startsWith("XX") ? 500 : 400);
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
