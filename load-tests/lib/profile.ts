// Reads a V8 .cpuprofile (node --cpu-prof) and groups self time by function and
// by area (uWS, postgres.js, JSON, validation, runtime, GC…), so docs can say
// where the CPU per message goes.
import fs from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byArea: Array<{ area: string; ms: number; share: number }>;
  top: Array<{ fn: string; ms: number; share: number }>;
}

const AREAS: Array<[string, RegExp]> = [
  ['postgres.js (client, protocol)', /node_modules\/postgres\//],
  ['uWebSockets.js', /uWebSockets|uws/i],
  ['pino (logging)', /node_modules\/pino/],
  ['typebox (validation)', /node_modules\/@sinclair\/typebox/],
  ['xstate', /node_modules\/xstate/],
  ['prom-client (metrics)', /node_modules\/prom-client/],
  ['server/src/gateway', /server\/src\/gateway\//],
  ['server/src/runtime', /server\/src\/runtime\//],
  ['server/src/adapters', /server\/src\/adapters\//],
  ['node internals (net, timers, streams)', /^node:|internal\//],
  ['other node_modules', /node_modules\//],
];

function area(n: Node): string {
  const { functionName, url } = n.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'native / uWS C++ (program)';
  if (functionName === '(idle)') return '(idle)';
  if (/^JSON\.|^stringify$|^parse$/.test(functionName) && url === '') return 'JSON parse/stringify';
  for (const [name, re] of AREAS) if (re.test(url)) return name;
  return url === '' ? 'native builtins' : 'other';
}

/**
 * `windowNs`: only samples taken in this span of the machine's monotonic clock (the
 * clock of process.hrtime, which V8's profile timestamps share), e.g. the measured
 * phases without the setup before and the teardown after them.
 */
export function summarizeProfile(file: string, topN = 25, windowNs?: [number, number]): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let atUs = p.startTime;
  p.samples.forEach((id, i) => {
    atUs += p.timeDeltas[i] ?? 0;
    if (windowNs && (atUs * 1000 < windowNs[0] || atUs * 1000 > windowNs[1])) return;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const a = area(n);
    if (a === '(idle)') { idle += us; continue; }
    total += us;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const where = n.callFrame.url.replace(/^.*\/(node_modules\/|server\/src\/|load-tests\/)/, '$1');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where ? `${where}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    totalMs: ms(total), idleMs: ms(idle),
    byArea: [...areas].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, ms: ms(us), share: share(us) })),
    top: [...fns].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([fn, us]) => ({ fn, ms: ms(us), share: share(us) })),
  };
}
