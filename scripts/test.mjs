// `npm test`: the whole suite (unit, integration, e2e) on embedded services, or
// on DATABASE_URL when set. Installs dependencies and Chromium when missing.
import fs from 'node:fs';
import { checkNode, ensureBuilt, ensureDependencies, run } from './prepare.mjs';

checkNode();
ensureDependencies();
ensureBuilt();

if (!fs.existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0) {
    console.log('• Installing Chromium and CJK fonts for the browser tests (apt-get)…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.error('✖ The browser tests need Debian Chromium: sudo apt-get install -y chromium fonts-noto-cjk');
    process.exit(1);
  }
}

const extra = process.argv.slice(2);
// Types and lint first (incl. the rule that keeps machines/ pure); skipped when
// a subset of tests is asked for.
if (extra.length === 0) run('npm', ['run', '--silent', 'lint']);
run('npx', ['vitest', 'run', ...extra]);
