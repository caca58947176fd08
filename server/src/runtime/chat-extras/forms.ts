// J5 pre-chat form and E7 info form: the company's settings (stored as the
// company setting `chatForms`), their validation, and the check of a visitor's
// answers. Answers are text: kept exactly as typed minus control characters;
// the console and widget show them with textContent / {{ }}.
import type { FormField } from '../../../../protocol/index.js';

export interface PrechatQuestion { id: string; label: string; groupId: string | null }

export interface ChatFormsSettings {
  prechat: { enabled: boolean; welcome: string; fields: FormField[]; questions: PrechatQuestion[] };
  infoForm: { fields: FormField[] };
}

export const CHAT_FORMS_KEY = 'chatForms';

export const DEFAULT_CHAT_FORMS: ChatFormsSettings = {
  prechat: {
    enabled: false,
    welcome: '',
    fields: [{ id: 'name', label: 'Name', required: true }, { id: 'phone', label: 'Phone', required: false }, { id: 'email', label: 'Email', required: false }],
    questions: [],
  },
  infoForm: {
    fields: [
      { id: 'name', label: 'Name', required: true }, { id: 'phone', label: 'Phone', required: false },
      { id: 'email', label: 'Email', required: false }, { id: 'org', label: 'Company', required: false },
    ],
  },
};

const FIELD_ID = /^[a-z][a-z0-9_]{0,31}$/;
const GROUP_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-() ]{3,32}$/;
// NUL cannot live in jsonb; other C0 controls are never meant. Tab and newlines stay.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const MAX_ANSWER = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => Array.from(s).length;
const label = (v: unknown, max: number) => (typeof v === 'string' && chars(v.trim()) >= 1 && chars(v) <= max ? v.trim() : null);

function fieldsOf(raw: unknown, where: string): FormField[] | string {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 20) return `${where}.fields needs 1 to 20 fields`;
  const out: FormField[] = [];
  for (const f of raw) {
    if (!isObject(f) || typeof f.id !== 'string' || !FIELD_ID.test(f.id)) return `${where}: field ids are a-z, 0-9, _ (up to 32)`;
    if (out.some((x) => x.id === f.id)) return `${where}: field ${f.id} appears twice`;
    const l = label(f.label, 50);
    if (!l) return `${where}: label of ${f.id} must be 1–50 characters`;
    if (typeof f.required !== 'boolean') return `${where}: required of ${f.id} must be true or false`;
    out.push({ id: f.id, label: l, required: f.required });
  }
  return out;
}

/** Validates a whole settings document from the admin; returns it cleaned or an error message. */
export function validateChatForms(input: unknown): ChatFormsSettings | { error: string } {
  if (!isObject(input) || !isObject(input.prechat) || !isObject(input.infoForm)) return { error: 'send { prechat: {...}, infoForm: { fields } }' };
  const p = input.prechat;
  if (typeof p.enabled !== 'boolean') return { error: 'prechat.enabled must be true or false' };
  const welcome = p.welcome ?? '';
  if (typeof welcome !== 'string' || chars(welcome) > 500) return { error: 'prechat.welcome is text of up to 500 characters' };
  const pf = fieldsOf(p.fields, 'prechat');
  if (typeof pf === 'string') return { error: pf };
  const rawQ = p.questions ?? [];
  if (!Array.isArray(rawQ) || rawQ.length > 20) return { error: 'prechat.questions holds up to 20 question types' };
  const questions: PrechatQuestion[] = [];
  for (const q of rawQ) {
    if (!isObject(q) || typeof q.id !== 'string' || !FIELD_ID.test(q.id) || questions.some((x) => x.id === q.id)) return { error: 'question ids are unique a-z, 0-9, _ (up to 32)' };
    const l = label(q.label, 50);
    if (!l) return { error: `label of question ${q.id} must be 1–50 characters` };
    const g = q.groupId ?? null;
    if (g !== null && (typeof g !== 'string' || !GROUP_ID.test(g))) return { error: `groupId of question ${q.id} is malformed` };
    questions.push({ id: q.id, label: l, groupId: g });
  }
  const inf = fieldsOf(input.infoForm.fields, 'infoForm');
  if (typeof inf === 'string') return { error: inf };
  return { prechat: { enabled: p.enabled, welcome: welcome.trim(), fields: pf, questions }, infoForm: { fields: inf } };
}

/** The stored document, or the defaults when there is none (or it no longer validates). */
export function storedChatForms(raw: unknown): ChatFormsSettings {
  if (raw === null || raw === undefined) return DEFAULT_CHAT_FORMS;
  const v = validateChatForms(raw);
  return 'error' in v ? DEFAULT_CHAT_FORMS : v;
}

/**
 * Checks answers against the fields the company asks for (info form and pre-chat
 * form together, plus the pre-chat question id under `question`). Returns the
 * cleaned answers or an error message. Required flags are the widget's business:
 * the server only refuses what is malformed or unknown.
 */
export function validateAnswers(settings: ChatFormsSettings, input: Record<string, string>): { fields: Record<string, string> } | { error: string } {
  const known = new Set([...settings.infoForm.fields, ...settings.prechat.fields].map((f) => f.id));
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(input)) {
    if (id === 'question') {
      if (!settings.prechat.questions.some((q) => q.id === value)) return { error: 'unknown question type' };
      out.question = value;
      continue;
    }
    if (!known.has(id)) return { error: `unknown field ${JSON.stringify(id.slice(0, 40))}` };
    const v = value.replace(CONTROL, '').trim();
    if (chars(v) > MAX_ANSWER) return { error: `${id} is longer than ${MAX_ANSWER} characters` };
    if (v === '') continue;
    if (id === 'email' && !EMAIL.test(v)) return { error: 'email is not an email address' };
    if (id === 'phone' && !PHONE.test(v)) return { error: 'phone may hold digits, spaces, + - ( ) only' };
    out[id] = v;
  }
  if (Object.keys(out).length === 0) return { error: 'the form is empty' };
  return { fields: out };
}
