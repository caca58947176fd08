// Load generators as "parts": objects whose async methods the coordinator calls
// (setup, phase, finish…). A part runs in this process (workers = 0, used by the
// smoke tests) or in a forked child process each, so the generator gets its own
// CPU and is not the bottleneck. Same code either way; results are plain JSON.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { partFactories, type PartName } from './parts.js';

export interface PartHandle {
  call<T = unknown>(method: string, arg?: unknown): Promise<T>;
  close(): Promise<void>;
  /** the generator process (absent when the part runs in this process) */
  pid?: number;
}

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');

export async function startParts(name: PartName, inputs: unknown[], inProcess: boolean): Promise<PartHandle[]> {
  if (inProcess) {
    return Promise.all(inputs.map(async (input) => {
      const part = await partFactories[name](input);
      return {
        call: <T>(method: string, arg?: unknown) => part[method]!(arg) as Promise<T>,
        close: async () => { await part.close?.(undefined); },
      };
    }));
  }
  return Promise.all(inputs.map((input) => forkPart(name, input)));
}

async function forkPart(name: PartName, input: unknown): Promise<PartHandle> {
  const child: ChildProcess = fork(WORKER, [], { execArgv: ['--import', 'tsx', ...(process.env.LOAD_GEN_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_GEN_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  child.on('message', (m: any) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value); else p.reject(new Error(m.error));
  });
  child.on('error', () => { /* IPC to a dead worker: its calls reject on 'exit' */ });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`load worker exited with ${code}`));
    pending.clear();
  });
  const call = <T>(method: string, arg?: unknown): Promise<T> => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    child.send({ id, method, arg });
  });
  await call('init', { name, input });
  return {
    call,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (child.connected) await call('close').catch(() => {});
      // A worker that died meanwhile has no channel left to disconnect.
      if (child.connected) child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Calls the same method on every part and waits for all. */
export const all = <T>(parts: PartHandle[], method: string, arg?: unknown | ((i: number) => unknown)): Promise<T[]> =>
  Promise.all(parts.map((p, i) => p.call<T>(method, typeof arg === 'function' ? (arg as (i: number) => unknown)(i) : arg)));
