// Creates a company and its admin agent in the configured database (A1), for
// operators who keep self-service signup off.
//
//   npm run create-company -- --name "Acme" --admin-name "Alice" [--agent-id admin] [--password xxx]
//
// Without --password a strong one is generated. Prints the company ID, agent ID,
// password and the widget public key. Uses the same env vars as the server
// (DATABASE_URL, or embedded Postgres under DATA_DIR — stop the server first then,
// since embedded Postgres runs one instance per data directory).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import pino from 'pino';
import { openStores } from '../runtime/stores.js';
import { createCompanyWithAdmin, newCompanyProblem } from '../domain/signup.js';
import { generatePassword } from '../domain/passwords.js';

const USAGE = 'usage: npm run create-company -- --name "Acme" --admin-name "Alice" [--agent-id admin] [--password xxx]\n';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        'admin-name': { type: 'string' },
        'agent-id': { type: 'string', default: 'admin' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const input = { name: values.name ?? '', adminName: values['admin-name'] ?? '', agentId: values['agent-id'], password: values.password ?? generatePassword() };
  // Check before starting a database, so typos fail fast.
  const problem = newCompanyProblem(input);
  if (problem) {
    process.stderr.write(`${problem}\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  // Logs go to stderr at warn, so stdout carries only the result.
  const logger = pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }, pino.destination(2));
  const stores = await openStores(config, logger);
  try {
    const { company, admin } = await createCompanyWithAdmin(stores.accounts, input);
    process.stdout.write(
      [
        `Company:    ${company.name}`,
        `Company ID: ${company.id}`,
        `Agent ID:   ${admin.id}`,
        `Password:   ${input.password}${values.password ? '' : '   (generated: store it now, it is not shown again)'}`,
        `Public key: ${company.publicKey}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await stores.close();
  }
}

// process.exit rather than exitCode: tsx's file runner does not pass exitCode on.
// Safe here: the database is closed, and stdout/stderr writes to files and pipes are synchronous.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`create-company failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
