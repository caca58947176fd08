// docs/protocol.md must show every frame type the schemas define, with an example.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import { AgentIn, VisitorIn } from '../../protocol/index.js';
import { decodeAgentFrame, decodeVisitorFrame } from '../../server/src/gateway/validate.js';

const doc = fs.readFileSync('docs/protocol.md', 'utf8');
const typesOf = (union: TSchema) => (union.anyOf as TSchema[]).map((s) => s.properties.type.const as string);

/** JSON examples in the doc, grouped by the section (visitor or agent socket) they stand in. */
function examples(section: RegExp): Array<Record<string, unknown>> {
  const start = doc.search(section);
  const rest = doc.slice(start + 1);
  const end = rest.search(/\n## /);
  const body = end < 0 ? rest : rest.slice(0, end);
  const clientPart = body.slice(0, body.indexOf('### server'));
  return [...clientPart.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));
}

describe('docs/protocol.md', () => {
  it('documents every client frame with an example that the gateway accepts', () => {
    const visitor = examples(/## Visitor socket/);
    const agent = examples(/## Agent socket/);
    expect(visitor.map((f) => f.type).sort()).toEqual(typesOf(VisitorIn).sort());
    expect(agent.map((f) => f.type).sort()).toEqual(typesOf(AgentIn).sort());
    for (const f of visitor) expect(decodeVisitorFrame(JSON.stringify(f)).ok, JSON.stringify(f)).toBe(true);
    for (const f of agent) expect(decodeAgentFrame(JSON.stringify(f)).ok, JSON.stringify(f)).toBe(true);
  });

  it('names every server frame type', () => {
    const serverTypes = fs.readFileSync('protocol/visitor-frames.ts', 'utf8') + fs.readFileSync('protocol/agent-frames.ts', 'utf8');
    const declared = new Set([...serverTypes.matchAll(/type: '([a-z.]+)'/g)].map((m) => m[1]!));
    for (const t of declared) expect(doc, `frame ${t}`).toContain(`"type": "${t}"`);
  });
});
