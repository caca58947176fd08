// Typed errors that ports raise and the gateway maps to error frames / HTTP codes.
import { ErrorCode } from '../../../protocol/codes.js';

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly status = 400) {
    super(message);
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) { super(ErrorCode.NotFound, `${what} not found`, 404); }
}
export class ConflictError extends AppError {
  constructor(message: string) { super(ErrorCode.Conflict, message, 409); }
}
export class ForbiddenError extends AppError {
  constructor(message = 'not allowed') { super(ErrorCode.Forbidden, message, 403); }
}
