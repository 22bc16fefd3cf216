/** An answer other than success: HTTP status, stable code, message, hint and details (PostgREST's shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}
