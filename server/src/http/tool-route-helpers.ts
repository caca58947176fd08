// Small pieces shared by the console-tool routes (canned, evaluation,
// customers, settings): permission checks, standard error answers, and
// string-field validation that reports which field is wrong.
import { ErrorCode } from '../../../protocol/codes.js';
import type { Permission } from '../ports/account-store.js';
import { errorBody, json, type AuthContext, type HttpResponse } from './types.js';

export const can = (auth: AuthContext, p: Permission) => auth.role === 'admin' || auth.permissions.includes(p);
export const forbidden = (message: string): HttpResponse => json(403, errorBody(ErrorCode.Forbidden, message));
export const bad = (message: string): HttpResponse => json(400, errorBody(ErrorCode.BadRequest, message));
export const notFound = (what: string): HttpResponse => json(404, errorBody(ErrorCode.NotFound, `${what} not found`));
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown by the readers below; the routes turn it into a 400. */
export class FieldError extends Error {}

/** A trimmed string of at most `max` characters; missing = '' unless required. */
export function str(body: Record<string, unknown>, key: string, max: number, opts: { required?: boolean } = {}): string {
  const v = body[key];
  if (v === undefined || v === null) {
    if (opts.required) throw new FieldError(`${key} is required`);
    return '';
  }
  if (typeof v !== 'string') throw new FieldError(`${key} must be a string`);
  const s = v.trim();
  if (opts.required && !s) throw new FieldError(`${key} must not be empty`);
  if (s.length > max) throw new FieldError(`${key} must be at most ${max} characters`);
  return s;
}

export function oneOf<T extends string>(body: Record<string, unknown>, key: string, values: readonly T[], fallback: T): T {
  const v = body[key] ?? fallback;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new FieldError(`${key} must be one of ${values.join(', ')}`);
  return v as T;
}

/** Runs a body reader; a non-object body or a FieldError becomes a 400 answer. */
export function readBody<T>(body: unknown, read: (b: Record<string, unknown>) => T): { value: T } | { error: HttpResponse } {
  if (!isObject(body)) return { error: bad('send a JSON object') };
  try {
    return { value: read(body) };
  } catch (err) {
    if (err instanceof FieldError) return { error: bad(err.message) };
    throw err;
  }
}
