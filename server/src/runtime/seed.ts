// Seeds a demo company on an empty database so `npm start` is usable at once.
// The generated password is kept in <dataDir>/demo.json (mode 0600) so a second
// start can print it again: the database only holds its hash.
import fs from 'node:fs';
import path from 'node:path';
import type { AccountStore } from '../ports/account-store.js';
import type { Logger } from '../logger.js';
import { createCompanyWithAdmin } from '../domain/signup.js';
import { generatePassword } from '../domain/passwords.js';

export interface DemoSeed {
  companyId: string;
  agentId: string;
  password: string;
  publicKey: string;
  created: boolean;
}

export async function seedDemoCompany(accounts: AccountStore, logger: Logger, dataDir?: string): Promise<DemoSeed | null> {
  const file = dataDir ? path.join(dataDir, 'demo.json') : null;
  if ((await accounts.countCompanies()) > 0) {
    if (!file || !fs.existsSync(file)) return null;
    try {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSeed;
      const company = await accounts.companyById(saved.companyId);
      return company ? { ...saved, publicKey: company.publicKey, created: false } : null;
    } catch (err) {
      logger.warn({ err, file }, 'demo.json unreadable; /demo needs ?key=');
      return null;
    }
  }
  const password = generatePassword(16);
  const { company, admin } = await createCompanyWithAdmin(accounts, { name: 'Demo Company', adminName: 'Demo Admin', agentId: 'admin', password });
  const seed: DemoSeed = { companyId: company.id, agentId: admin.id, password, publicKey: company.publicKey, created: true };
  if (file) fs.writeFileSync(file, JSON.stringify(seed, null, 2), { mode: 0o600 });
  logger.info({ companyId: company.id, agentId: admin.id }, 'seeded demo company');
  return seed;
}
