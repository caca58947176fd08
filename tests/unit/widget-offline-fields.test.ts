// G2/J4: the leave-a-message form follows the company's field configuration.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, parseFieldSpecs, validateFields, type FieldSpec } from '../../widget/src/window/offline-validate.js';

const custom: FieldSpec[] = [
  { id: 'order_no', label: '订单号', required: true, maxLength: 40 },
  { id: 'email', label: '邮箱', required: false, maxLength: 254 },
  { id: 'content', label: '留言内容', required: true, maxLength: 2000 },
];

describe('validateFields', () => {
  it('names the first required field left empty', () => {
    const p = validateFields(custom, { order_no: ' ', email: 'a@b.co', content: 'hi' });
    expect(p).toEqual({ key: 'formRequired', field: custom[0] });
    expect(validateFields(custom, { order_no: 'A1', email: 'a@b.co', content: '' })).toEqual({ key: 'formNeedContent' });
    expect(validateFields(custom, { order_no: 'A1', email: 'a@b.co', content: 'hi' })).toBeNull();
  });

  it('asks for a way to answer only when the form has phone or email', () => {
    expect(validateFields(custom, { order_no: 'A1', email: '', content: 'hi' })).toEqual({ key: 'formNeedContact' });
    expect(validateFields(custom, { order_no: 'A1', email: 'nope', content: 'hi' })).toEqual({ key: 'formNeedContact' });
    const noContact: FieldSpec[] = [{ id: 'wechat', label: '微信', required: false, maxLength: 64 }];
    expect(validateFields(noContact, { wechat: 'li_01' })).toBeNull();
    expect(validateFields(noContact, { wechat: '' })).toEqual({ key: 'formNeedContent' });
  });
});

describe('parseFieldSpecs', () => {
  it('takes a well-formed list and refuses anything else', () => {
    expect(parseFieldSpecs(DEFAULT_FIELDS)).toEqual(DEFAULT_FIELDS);
    expect(parseFieldSpecs(custom)).toEqual(custom);
    for (const bad of [null, 'fields', [], [{ id: 'Bad Id', label: 'x', required: false, maxLength: 5 }],
      [{ id: 'x', label: '', required: false, maxLength: 5 }], [{ id: 'x', label: 'X', required: 'yes', maxLength: 5 }],
      [{ id: 'x', label: 'X', required: false, maxLength: 0 }], Array.from({ length: 21 }, (_, i) => ({ id: `f${i}`, label: 'F', required: false, maxLength: 5 }))]) {
      expect(parseFieldSpecs(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
