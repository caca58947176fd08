// J5/E7 form settings and answers: what the server accepts and refuses.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_FORMS, storedChatForms, validateAnswers, validateChatForms } from '../../server/src/runtime/chat-extras/forms.js';

const settings = {
  prechat: { enabled: true, welcome: ' Hi ', fields: [{ id: 'name', label: ' Name ', required: true }], questions: [{ id: 'buy', label: 'Buying', groupId: 'sales' }] },
  infoForm: { fields: [{ id: 'phone', label: 'Phone', required: false }, { id: 'email', label: 'Email', required: false }] },
};

describe('chat forms settings', () => {
  it('accepts a valid document and trims labels and the welcome text', () => {
    const v = validateChatForms(settings);
    expect(v).toMatchObject({ prechat: { welcome: 'Hi', fields: [{ id: 'name', label: 'Name', required: true }], questions: [{ groupId: 'sales' }] } });
  });

  it.each([
    ['no infoForm', { prechat: settings.prechat }],
    ['enabled not boolean', { ...settings, prechat: { ...settings.prechat, enabled: 'yes' } }],
    ['markup in a field id', { ...settings, prechat: { ...settings.prechat, fields: [{ id: '<img>', label: 'x', required: true }] } }],
    ['duplicate field', { ...settings, infoForm: { fields: [settings.infoForm.fields[0], settings.infoForm.fields[0]] } }],
    ['label too long', { ...settings, infoForm: { fields: [{ id: 'a', label: 'x'.repeat(51), required: true }] } }],
    ['path in a group id', { ...settings, prechat: { ...settings.prechat, questions: [{ id: 'q', label: 'Q', groupId: '../x' }] } }],
    ['21 question types', { ...settings, prechat: { ...settings.prechat, questions: Array.from({ length: 21 }, (_, i) => ({ id: `q${i}`, label: 'Q', groupId: null })) } }],
  ])('refuses %s', (_name, doc) => {
    expect(validateChatForms(doc)).toHaveProperty('error');
  });

  it('falls back to the defaults when nothing (or garbage) is stored', () => {
    expect(storedChatForms(null)).toBe(DEFAULT_CHAT_FORMS);
    expect(storedChatForms({ prechat: 1 })).toBe(DEFAULT_CHAT_FORMS);
  });
});

describe('visitor answers', () => {
  const s = validateChatForms(settings) as Exclude<ReturnType<typeof validateChatForms>, { error: string }>;
  it('keeps markup as text, strips control characters, drops empty answers', () => {
    expect(validateAnswers(s, { name: ' <b>Li</b>\u0007 ', phone: '', question: 'buy' })).toEqual({ fields: { name: '<b>Li</b>', question: 'buy' } });
  });
  it.each([
    [{ password: 'x' }, /unknown field/],
    [{ email: 'nope' }, /email/],
    [{ phone: 'call me' }, /phone/],
    [{ question: 'sell' }, /question/],
    [{ name: '   ' }, /empty/],
    [{ name: 'x'.repeat(501) }, /longer/],
  ])('refuses %j', (input, message) => {
    const r = validateAnswers(s, input);
    expect('error' in r && r.error).toMatch(message);
  });
});
