// The session cookie. HttpOnly keeps it from scripts; SameSite=Lax keeps it off
// cross-site POSTs (the CSRF header is the second lock).
export const SESSION_COOKIE = 'sb_session';

export interface CookieOptions {
  secure: boolean;
}

export function sessionCookie(sessionId: string, maxAgeMs: number, opts: CookieOptions): string {
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  return `${SESSION_COOKIE}=${sessionId}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAge}${opts.secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(opts: CookieOptions): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${opts.secure ? '; Secure' : ''}`;
}
