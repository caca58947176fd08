// G2: leave-a-message form, shown when nobody can chat (or from the email icon).
// POSTs to /api/v1/widget/offline-messages on our own origin; a 404 (the server does
// not offer it) or a 403 (a blocked address, C3/C4) is told plainly as "not available".
import { h, show } from './dom.js';
import type { Translate } from './i18n.js';
import { validateOfflineForm, type OfflineFields } from './offline-validate.js';

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
}

export function createOfflineForm(d: OfflineFormDeps): OfflineForm {
  const { t } = d;
  const field = (name: keyof OfflineFields, type: string, auto: string) => {
    const input = h('input', { class: 'sb-input', name, type, autocomplete: auto, maxlength: name === 'email' ? '254' : '64' });
    return { input, row: h('label', { class: 'sb-field' }, h('span', { text: t(name) }), input) };
  };
  const name = field('name', 'text', 'name');
  const phone = field('phone', 'tel', 'tel');
  const email = field('email', 'email', 'email');
  const content = h('textarea', { class: 'sb-input sb-textarea', name: 'content', rows: '4', maxlength: '2000' });
  const status = h('p', { class: 'sb-form-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { class: 'sb-btn sb-btn--primary', type: 'submit', text: t('submit') });
  const back = h('button', { class: 'sb-btn sb-btn--link', type: 'button', text: t('backToChat') });
  back.addEventListener('click', () => d.onBack());

  const form = h('form', { class: 'sb-form', novalidate: true },
    h('h2', { class: 'sb-form-title', text: t('offlineTitle') }),
    h('p', { class: 'sb-form-intro', text: t('offlineIntro') }),
    name.row, phone.row, email.row,
    h('label', { class: 'sb-field' }, h('span', { text: t('content') }), content),
    status,
    h('div', { class: 'sb-form-actions' }, submit, back),
  );

  const setStatus = (text: string, kind: 'ok' | 'err' | '') => {
    status.textContent = text;
    status.className = `sb-form-status${kind ? ` sb-form-status--${kind}` : ''}`;
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fields: OfflineFields = { name: name.input.value, phone: phone.input.value, email: email.input.value, content: content.value };
    const problem = validateOfflineForm(fields);
    if (problem) return setStatus(t(problem), 'err');
    submit.disabled = true;
    setStatus('', '');
    // The server's contract (docs/protocol.md): the visitor in the query, the form's fields by id.
    const filled: Record<string, string> = {};
    for (const k in fields) {
      const v = fields[k as keyof OfflineFields].trim();
      if (v) filled[k] = v;
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

  return { el: form, setCanGoBack: (on) => show(back, on) };
}
