// Pure checks for the leave-a-message form (G2), shared by the form and its tests.
// The company configures the fields (J4: id, label, required, maxLength, from
// GET /api/v1/widget/config); the four below are the server's defaults and what
// the form shows when the configuration cannot be read.
import type { MsgKey } from './i18n.js';

export interface OfflineFields { name: string; phone: string; email: string; content: string }

export interface FieldSpec { id: string; label: string; required: boolean; maxLength: number }

export const DEFAULT_FIELDS: readonly FieldSpec[] = [
  { id: 'name', label: '姓名', required: false, maxLength: 50 },
  { id: 'phone', label: '电话', required: false, maxLength: 32 },
  { id: 'email', label: '邮箱', required: false, maxLength: 254 },
  { id: 'content', label: '留言内容', required: true, maxLength: 2000 },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d][\d\s()+-]{4,24}$/;
const FIELD_ID = /^[a-z][a-z0-9_]{0,31}$/;

export interface Problem { key: MsgKey; field?: FieldSpec }

/**
 * The first problem with these values, or null when the form can be sent: a
 * required field left empty; nothing written at all; and, when the form asks for
 * a phone or an email, neither given or one malformed (how else to answer?).
 */
export function validateFields(specs: readonly FieldSpec[], values: Record<string, string>): Problem | null {
  const v = (id: string) => (values[id] || '').trim();
  for (const f of specs) {
    if (f.required && !v(f.id)) return f.id === 'content' ? { key: 'formNeedContent' } : { key: 'formRequired', field: f };
  }
  if (!specs.some((f) => v(f.id))) return { key: 'formNeedContent' };
  const asks = (id: string) => specs.some((f) => f.id === id);
  if (asks('phone') || asks('email')) {
    const phone = v('phone');
    const email = v('email');
    if (!phone && !email) return { key: 'formNeedContact' };
    if (email && !EMAIL.test(email)) return { key: 'formNeedContact' };
    if (phone && !PHONE.test(phone)) return { key: 'formNeedContact' };
  }
  return null;
}

/** The message key of the first problem with the default form, or null. */
export function validateOfflineForm(f: OfflineFields): MsgKey | null {
  const p = validateFields(DEFAULT_FIELDS, { ...f });
  return p ? p.key : null;
}

/** The configured fields from untrusted JSON, or null when they are not usable. */
export function parseFieldSpecs(raw: unknown): FieldSpec[] | null {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 20) return null;
  const out: FieldSpec[] = [];
  for (const f of raw) {
    const o = f as Partial<FieldSpec> | null;
    if (!o || typeof o.id !== 'string' || !FIELD_ID.test(o.id) || typeof o.label !== 'string' || !o.label
      || typeof o.required !== 'boolean' || typeof o.maxLength !== 'number' || !(o.maxLength >= 1 && o.maxLength <= 5000)) return null;
    out.push({ id: o.id, label: o.label.slice(0, 50), required: o.required, maxLength: Math.floor(o.maxLength) });
  }
  return out;
}
