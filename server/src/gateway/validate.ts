// The only place frames are validated: TypeBox schemas compiled once at start-up
// (tens of millions of checks/s, see DEPENDENCIES.md). Returns a typed frame or an
// error frame to send back; never throws.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema, Static } from '@sinclair/typebox';
import { AgentIn, ErrorCode, VisitorIn, type ErrorFrame } from '../../../protocol/index.js';

type Decoded<T> = { ok: true; frame: T } | { ok: false; error: ErrorFrame };

function compileDecoder<S extends TSchema>(schema: S) {
  const check = TypeCompiler.Compile(schema);
  // One compiled checker per frame type, used only to explain a rejection.
  const members = new Map((schema.anyOf as TSchema[]).map((m) => [m.properties.type.const as string, TypeCompiler.Compile(m)]));
  return (raw: ArrayBuffer | string): Decoded<Static<S>> => {
    let value: unknown;
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return { ok: false, error: errorFrame(ErrorCode.BadJson, 'frame is not valid JSON') };
    }
    if (check.Check(value)) return { ok: true, frame: value };
    const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const ref = typeof obj.ref === 'string' ? obj.ref.slice(0, 64) : undefined;
    const member = typeof obj.type === 'string' ? members.get(obj.type) : undefined;
    if (!member) {
      return { ok: false, error: errorFrame(ErrorCode.UnknownType, `unknown frame type ${JSON.stringify(String(obj.type ?? '')).slice(0, 80)}`, ref) };
    }
    const err = member.Errors(obj).First();
    const first = err ? `${err.path || '/'} ${err.message}` : null;
    return { ok: false, error: errorFrame(ErrorCode.BadFrame, `invalid ${obj.type} frame${first ? `: ${first}` : ''}`, ref) };
  };
}

export function errorFrame(code: ErrorCode, message: string, ref?: string): ErrorFrame {
  return ref === undefined ? { v: 1, type: 'error', code, message } : { v: 1, type: 'error', code, message, ref };
}

export const decodeVisitorFrame = compileDecoder(VisitorIn);
export const decodeAgentFrame = compileDecoder(AgentIn);
