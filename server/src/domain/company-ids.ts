// Identifiers handed out by the account layer. Company IDs are typed by people at
// login (like Live800's numeric IDs), so they are short digits; anything that acts
// as a bearer secret is long and random.
import { randomBytes, randomInt } from 'node:crypto';

/** 8 digits, never starting with 0. Stores retry on the rare collision. */
export function generateCompanyId(): string {
  return String(randomInt(10_000_000, 100_000_000));
}

/** Widget public key: not a secret, but unguessable so companies cannot be enumerated. */
export function generatePublicKey(): string {
  return `pk_${randomBytes(16).toString('base64url')}`;
}

/** Session ids and CSRF tokens: 256 random bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export const COMPANY_ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
/** Agent IDs are chosen by admins: letters, digits, dot, dash, underscore, @. */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
