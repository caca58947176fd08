import { describe, expect, it } from 'vitest';
import { dummyHash, generatePassword, hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from '../../server/src/domain/passwords.js';

describe('A1 passwords', () => {
  it('A1 hashes with argon2id m=19456 t=2 p=1 and verifies', async () => {
    const h = await hashPassword('s3cret passphrase');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 's3cret passphrase')).toBe(true);
    expect(await verifyPassword(h, 's3cret passphrasE')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('A1 policy: 8 to 128 characters', () => {
    expect(passwordProblem('1234567')).toMatch(/at least 8/);
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('密'.repeat(8))).toBeNull();
    expect(passwordProblem('x'.repeat(128))).toBeNull();
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem(12345678)).toMatch(/string/);
  });

  it('A1 the dummy hash has the real parameters, so unknown agents cost a full verification', async () => {
    expect(await dummyHash()).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await dummyHash()).toBe(await dummyHash());
    const real = await hashPassword('whatever password');
    const time = async (f: () => Promise<unknown>) => { const t = performance.now(); await f(); return performance.now() - t; };
    await verifyAgainstDummy('warm up');
    const dummy = await time(() => verifyAgainstDummy('guess password'));
    const wrong = await time(() => verifyPassword(real, 'guess password'));
    // Both are one argon2 run; generous bounds keep this stable on a busy machine.
    expect(dummy).toBeGreaterThan(wrong * 0.3);
    expect(dummy).toBeGreaterThan(5);
  });

  it('A1 generated passwords are long, varied and meet the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
      expect(passwordProblem(p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
