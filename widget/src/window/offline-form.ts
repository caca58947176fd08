// G2: leave-a-message form, shown when nobody can chat (or from the email icon).
// POSTs to /api/v1/widget/offline-messages on our own origin; a 404 (the server does
// not offer it) or a 403 (a blocked address, C3/C4) is told plainly as "not available".
import { h, show } from './dom.js';
import type { Translate } from './i18n.js';
import { DEFAULT_FIELDS, validateFields, type FieldSpec } from './offline-validate.js';

export interface OfflineFormDeps {
  t: Translate;
  key: string;
  visitorId: string;
  page: string;
  /** the host page's referrer: the message's search engine and keyword */
  referrer: string;
  lang: string;
  reason: () => 'offline' | 'busy';
  onBack(): void;
}

export interface OfflineForm {
  el: HTMLElement;
  setCanGoBack(on: boolean): void;
  /** J4: the company's fields (from /api/v1/widget/config); until then the defaults */
  setFields(specs: readonly FieldSpec[]): void;
}

const INPUT_TYPES: Record<string, [string, string]> = { name: ['text', 'name'], phone: ['tel', 'tel'], email: ['email', 'email'] };

export function createOfflineForm(d: OfflineFormDeps): OfflineForm {
  const { t } = d;
  // The server's default labels are shown in the visitor's language; a company's own labels as typed.
  const labelOf = (f: FieldSpec) => {
    const std = DEFAULT_FIELDS.find((x) => x.id === f.id);
    return std && std.label === f.label ? t(f.id as 'name' | 'phone' | 'email' | 'content') : f.label;
  };
  let specs: readonly FieldSpec[] = DEFAULT_FIELDS;
  let inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
  const rows = h('div', { class: 'sb-form-fields' });
  const render = () => {
    inputs = new Map();
    rows.textContent = '';
    for (const f of specs) {
      const type = INPUT_TYPES[f.id];
      const input = f.id === 'content' || (!type && f.maxLength > 200)
        ? h('textarea', { class: 'sb-input sb-textarea', name: f.id, rows: '4', maxlength: String(f.maxLength) })
        : h('input', { class: 'sb-input', name: f.id, type: type ? type[0] : 'text', autocomplete: type ? type[1] : 'off', maxlength: String(f.maxLength) });
      if (f.required) input.setAttribute('aria-required', 'true');
      inputs.set(f.id, input);
      rows.appendChild(h('label', { class: 'sb-field' }, h('span', { text: labelOf(f) + (f.required ? ' *' : '') }), input));
    }
  };
  render();
  const status = h('p', { class: 'sb-form-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { class: 'sb-btn sb-btn--primary', type: 'submit', text: t('submit') });
  const back = h('button', { class: 'sb-btn sb-btn--link', type: 'button', text: t('backToChat') });
  back.addEventListener('click', () => d.onBack());

  const form = h('form', { class: 'sb-form', novalidate: true },
    h('h2', { class: 'sb-form-title', text: t('offlineTitle') }),
    h('p', { class: 'sb-form-intro', text: t('offlineIntro') }),
    rows,
    status,
    h('div', { class: 'sb-form-actions' }, submit, back),
  );

  const setStatus = (text: string, kind: 'ok' | 'err' | '') => {
    status.textContent = text;
    status.className = `sb-form-status${kind ? ` sb-form-status--${kind}` : ''}`;
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: Record<string, string> = {};
    inputs.forEach((input, id) => { values[id] = input.value; });
    const problem = validateFields(specs, values);
    if (problem) return setStatus(t(problem.key, problem.field ? { field: labelOf(problem.field) } : undefined), 'err');
    submit.disabled = true;
    setStatus('', '');
    // The server's contract (docs/protocol.md): the visitor in the query, the form's fields by id.
    const filled: Record<string, string> = {};
    for (const id in values) {
      const v = values[id]!.trim();
      if (v) filled[id] = v;
    }
    const body = JSON.stringify({ reason: d.reason(), fields: filled, url: d.page, referrer: d.referrer });
    const q = `key=${encodeURIComponent(d.key)}&vid=${encodeURIComponent(d.visitorId)}`;
    fetch(`/api/v1/widget/offline-messages?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' })
      .then((res) => {
        if (res.ok) {
          form.reset();
          setStatus(t('formSent'), 'ok');
        } else setStatus(t(res.status === 404 || res.status === 403 ? 'formUnavailable' : res.status === 429 ? 'rateLimited' : 'formError'), 'err');
      })
      .catch(() => setStatus(t('formError'), 'err'))
      .then(() => { submit.disabled = false; });
  });

  return {
    el: form,
    setCanGoBack: (on) => show(back, on),
    setFields: (next) => {
      if (JSON.stringify(next) === JSON.stringify(specs)) return; // keep what the visitor typed
      specs = next;
      render();
    },
  };
}
