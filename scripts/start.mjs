// `npm start`: install what is missing, build what is stale, then run the server
// (embedded Postgres and chDB unless DATABASE_URL / CLICKHOUSE_URL are set).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { checkNode, ensureBuilt, ensureDependencies, ROOT } from './prepare.mjs';

checkNode();
ensureDependencies();
ensureBuilt();

const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], { cwd: ROOT, stdio: 'inherit' });
// Ctrl-C reaches the whole process group; the server shuts itself down cleanly,
// so this wrapper only waits for it (and forwards signals sent to it alone).
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
