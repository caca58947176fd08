// Pure checks for the leave-a-message form (G2), shared by the form and its tests.
import type { MsgKey } from './i18n.js';

export interface OfflineFields { name: string; phone: string; email: string; content: string }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d][\d\s()+-]{4,24}$/;

/** The message key of the first problem, or null when the form can be sent. */
export function validateOfflineForm(f: OfflineFields): MsgKey | null {
  if (!f.content.trim()) return 'formNeedContent';
  const phone = f.phone.trim();
  const email = f.email.trim();
  if (!phone && !email) return 'formNeedContact';
  if (email && !EMAIL.test(email)) return 'formNeedContact';
  if (phone && !PHONE.test(phone)) return 'formNeedContact';
  return null;
}
