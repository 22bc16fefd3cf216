/**
 * An answer other than success: HTTP status, stable code, message, hint and details (PostgREST's
 * shape), and headers to send with it (Retry-After of a rate limit).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
