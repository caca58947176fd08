// The company-local calendar day, for "chats accepted today" (sales routing).
const formats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' of `at` in `timeZone` (falls back to UTC for an unknown zone). */
export function dayKey(timeZone: string, at = Date.now()): string {
  let f = formats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    formats.set(timeZone, f);
  }
  return f.format(at);
}
