/**
 * Stripe's error shape: `{ error: { type, code?, message, param?, decline_code?, payment_intent? } }`
 * with the matching HTTP status, so the SDK raises the same error classes it raises against Stripe
 * (StripeInvalidRequestError, StripeCardError, StripeIdempotencyError, StripeAuthenticationError).
 */
export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error' | 'authentication_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  payment_intent?: unknown;
  doc_url?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, extra: Partial<StripeErrorBody> = {}, status = 400): StripeApiError {
  return new StripeApiError(status, { type: 'invalid_request_error', message, ...extra });
}

export function missingResource(kind: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param }, 404);
}

export function unknownParameter(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

export function missingParameter(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function unexpectedState(message: string, paymentIntent?: unknown): StripeApiError {
  return invalidRequest(message, { code: 'payment_intent_unexpected_state', ...(paymentIntent ? { payment_intent: paymentIntent } : {}) });
}
