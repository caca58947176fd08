// Sheets over the chat for the extras: the satisfaction survey (E8), the info
// form an agent pushes (E7) and the pre-chat form (J5). Labels come from the
// company's settings and go in as text only.
import type { FormField } from '../../../protocol/schema-common.js';
import { h, show } from './dom.js';
import type { ExtrasTranslate } from './extras-i18n.js';

export interface Sheet {
  el: HTMLElement;
  /** a status line under the form (error or thanks) */
  status(text: string, kind: 'ok' | 'err' | ''): void;
}

function sheet(title: string, t: ExtrasTranslate, onClose: (() => void) | null, ...body: Node[]): Sheet {
  const status = h('p', { class: 'sb-form-status', role: 'status', 'aria-live': 'polite' });
  const head = h('div', { class: 'sb-sheet-head' }, h('h2', { class: 'sb-form-title', text: title }));
  if (onClose) {
    const x = h('button', { class: 'sb-btn sb-btn--link', type: 'button', text: t('close') });
    x.addEventListener('click', onClose);
    head.appendChild(x);
  }
  const el = h('section', { class: 'sb-sheet', role: 'dialog', 'aria-label': title }, head, ...body, status);
  return {
    el,
    status(text, kind) {
      status.textContent = text;
      status.className = `sb-form-status${kind ? ` sb-form-status--${kind}` : ''}`;
    },
  };
}

export interface FormSheetOptions {
  t: ExtrasTranslate;
  title: string;
  intro?: string;
  fields: FormField[];
  /** J5 question types: the visitor picks one (it decides the group) */
  questions?: Array<{ id: string; label: string }>;
  submitLabel: string;
  onSubmit(values: Record<string, string>): void;
  onClose: (() => void) | null;
}

export function formSheet(o: FormSheetOptions): Sheet {
  const { t } = o;
  const inputs = o.fields.map((f) => {
    const type = f.id === 'email' ? 'email' : f.id === 'phone' ? 'tel' : 'text';
    const input = h('input', { class: 'sb-input', name: f.id, type, maxlength: '200', required: f.required, autocomplete: f.id === 'name' ? 'name' : type === 'text' ? 'off' : type });
    return { f, input, row: h('label', { class: 'sb-field' }, h('span', { text: f.required ? `${f.label} *` : f.label }), input) };
  });
  const select = o.questions && o.questions.length
    ? h('select', { class: 'sb-input', name: 'question' }, ...o.questions.map((q) => h('option', { value: q.id, text: q.label })))
    : null;
  const submit = h('button', { class: 'sb-btn sb-btn--primary', type: 'submit', text: o.submitLabel });
  const form = h('form', { class: 'sb-form sb-form--sheet', novalidate: true },
    o.intro ? h('p', { class: 'sb-form-intro', text: o.intro }) : null,
    select ? h('label', { class: 'sb-field' }, h('span', { text: t('question') }), select) : null,
    ...inputs.map((i) => i.row),
    h('div', { class: 'sb-form-actions' }, submit),
  );
  const s = sheet(o.title, t, o.onClose, form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: Record<string, string> = {};
    for (const { f, input } of inputs) {
      const v = input.value.trim();
      if (!v && f.required) {
        input.focus();
        return s.status(t('required', { field: f.label }), 'err');
      }
      if (v) values[f.id] = v;
    }
    if (select) values.question = select.value;
    s.status('', '');
    o.onSubmit(values);
  });
  return s;
}

export interface RatingSheet extends Sheet {
  reset(): void;
}

export function ratingSheet(t: ExtrasTranslate, onSubmit: (score: number, comment: string) => void, onClose: () => void): RatingSheet {
  let score = 0;
  const stars = [1, 2, 3, 4, 5].map((n) => {
    const b = h('button', { class: 'sb-star', type: 'button', 'aria-label': `${n}/5`, 'aria-pressed': 'false', 'data-score': String(n), text: '★' });
    b.addEventListener('click', () => { score = n; paint(); });
    return b;
  });
  const paint = () => stars.forEach((b, i) => { b.classList.toggle('sb-star--on', i < score); b.setAttribute('aria-pressed', String(i + 1 === score)); });
  const comment = h('textarea', { class: 'sb-input sb-textarea', name: 'comment', rows: '3', maxlength: '500' });
  const submit = h('button', { class: 'sb-btn sb-btn--primary', type: 'submit', text: t('rateSend') });
  const form = h('form', { class: 'sb-form sb-form--sheet', novalidate: true },
    h('div', { class: 'sb-stars', role: 'group', 'aria-label': t('ratePrompt') }, ...stars),
    h('label', { class: 'sb-field' }, h('span', { text: t('comment') }), comment),
    h('div', { class: 'sb-form-actions' }, submit),
  );
  const s = sheet(t('rateTitle'), t, onClose, form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!score) return s.status(t('ratePrompt'), 'err');
    onSubmit(score, comment.value.trim());
  });
  return {
    ...s,
    reset() { score = 0; comment.value = ''; paint(); s.status('', ''); show(form, true); },
  };
}
