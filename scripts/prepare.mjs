// Shared by `npm start` and `npm test`: install dependencies when missing and
// rebuild the console and widget when their sources are newer than the build.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`✖ Node ${process.versions.node} is too old: Switchboard needs Node 20.19 or newer.`);
    process.exit(1);
  }
}

/** Newest modification time of any file under the given paths. */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (path.basename(p) === 'node_modules' || path.basename(p) === 'dist') return;
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (st.mtimeMs > max) max = st.mtimeMs;
  };
  for (const p of paths) visit(path.join(ROOT, p));
  return max;
}

const mtime = (p) => (fs.existsSync(path.join(ROOT, p)) ? fs.statSync(path.join(ROOT, p)).mtimeMs : 0);

export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules/.package-lock.json');
  if (fs.existsSync(marker) && mtime('node_modules/.package-lock.json') >= mtime('package-lock.json')) return;
  // Not `npm ci`: it insists on lock entries for chDB's macOS/arm builds, which
  // this registry does not serve. `npm install` keeps to the lock file otherwise.
  console.log('• Installing dependencies (npm install)…');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}

export function ensureBuilt() {
  if (newest(['admin', 'protocol', 'package-lock.json']) > mtime('admin/dist/index.html')) {
    console.log('• Building the console…');
    run('npm', ['run', '--silent', 'build:admin']);
  }
  if (newest(['widget', 'protocol']) > Math.min(mtime('widget/dist/loader.js'), mtime('widget/dist/window.html'))) {
    console.log('• Building the widget…');
    run('npm', ['run', '--silent', 'build:widget']);
  }
}
