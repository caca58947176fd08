// Same-origin check for the console socket: the Origin header must be the public
// URL's origin or match the Host the browser connected to.
export function isSameOrigin(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return false;
  let o: URL;
  try { o = new URL(origin); } catch { return false; }
  if (o.origin === new URL(publicUrl).origin) return true;
  return host !== undefined && o.host === host;
}
