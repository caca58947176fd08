// The architecture boundary is enforced by lint: machines/ may not import server/ or I/O.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const lint = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);

describe('lint boundary for machines/', { timeout: 30_000 }, () => {
  it('refuses an import from server/ inside machines/', async () => {
    expect(await lint("import { loadConfig } from '../server/src/config.js';\nexport const c = loadConfig;\n", 'machines/probe.ts')).toContain('no-restricted-imports');
  });
  it('refuses I/O modules inside machines/', async () => {
    expect(await lint("import fs from 'node:fs';\nexport const f = fs;\n", 'machines/probe.ts')).toContain('no-restricted-imports');
  });
  it('allows xstate and protocol/ inside machines/, and server/ imports elsewhere', async () => {
    expect(await lint("import { setup } from 'xstate';\nimport { ErrorCode } from '../protocol/codes.js';\nexport const s = [setup, ErrorCode];\n", 'machines/probe.ts')).toEqual([]);
    expect(await lint("import { loadConfig } from '../server/src/config.js';\nexport const c = loadConfig;\n", 'tests/probe.ts')).toEqual([]);
  });
});
