// E10 conversation evaluation: the form on a live or ended chat, the company's
// topic list (order + one default; changing it needs 'settings'), and the
// agent's pending-evaluation queue behind the toolbar counter 等待评估.
// Who may evaluate: the agent who served the chat, or holders of 'monitor'.
import type { AuthContext } from './types.js';
import { GENDERS, type EvaluationFields, type EvaluationStore } from '../ports/evaluation-store.js';
import { json, type Route } from './types.js';
import { bad, can, FieldError, forbidden, notFound, oneOf, readBody, str } from './tool-route-helpers.js';

const MAX_TOPICS = 100;

function readFields(b: Record<string, unknown>): EvaluationFields {
  return {
    name: str(b, 'name', 100), gender: oneOf(b, 'gender', GENDERS, ''), category: str(b, 'category', 60),
    phone: str(b, 'phone', 40), channel: str(b, 'channel', 60), topic: str(b, 'topic', 60),
    level: str(b, 'level', 40), remarks: str(b, 'remarks', 2000),
  };
}

function readTopics(b: Record<string, unknown>): Array<{ name: string; isDefault: boolean }> {
  const list = b.topics;
  if (!Array.isArray(list) || list.length > MAX_TOPICS) throw new FieldError(`topics must be a list of at most ${MAX_TOPICS}`);
  const topics = list.map((t) => {
    if (typeof t !== 'object' || t === null) throw new FieldError('each topic is { name, isDefault }');
    const o = t as Record<string, unknown>;
    if (o.isDefault !== undefined && typeof o.isDefault !== 'boolean') throw new FieldError('isDefault must be true or false');
    return { name: str(o, 'name', 60, { required: true }), isDefault: o.isDefault === true };
  });
  if (topics.filter((t) => t.isDefault).length > 1) throw new FieldError('at most one default topic');
  if (new Set(topics.map((t) => t.name)).size !== topics.length) throw new FieldError('topic names must be unique');
  return topics;
}

export function evaluationRoutes(deps: { store: EvaluationStore }): Route[] {
  const { store } = deps;
  /** The conversation when this agent may evaluate it, else the answer to give. */
  async function evaluable(auth: AuthContext, id: string) {
    const conv = await store.conversation(auth.companyId, id);
    if (!conv) return { error: notFound('conversation') };
    if (conv.agentId !== auth.agentId && !can(auth, 'monitor')) return { error: forbidden('only the agent who served the chat (or a supervisor) may evaluate it') };
    return { conv };
  }
  return [
    {
      method: 'GET', path: '/api/v1/evaluation-topics', auth: 'session',
      handler: async (req) => json(200, { items: await store.topics(req.auth!.companyId) }),
    },
    {
      method: 'PUT', path: '/api/v1/evaluation-topics', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'settings')) return forbidden('needs the settings permission');
        const r = readBody(req.body, readTopics);
        if ('error' in r) return r.error;
        return json(200, { items: await store.saveTopics(auth.companyId, r.value) });
      },
    },
    {
      method: 'GET', path: '/api/v1/evaluations/pending', auth: 'session',
      handler: async (req) => {
        const limit = Number(req.query.get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 0 || limit > 200) return bad('limit must be 0–200');
        return json(200, await store.pending(req.auth!.companyId, req.auth!.agentId, limit));
      },
    },
    {
      method: 'GET', path: '/api/v1/conversations/:id/evaluation', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const e = await evaluable(auth, req.params.id ?? '');
        if ('error' in e) return e.error!;
        return json(200, { evaluation: await store.get(auth.companyId, e.conv.id) });
      },
    },
    {
      method: 'PUT', path: '/api/v1/conversations/:id/evaluation', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const e = await evaluable(auth, req.params.id ?? '');
        if ('error' in e) return e.error!;
        const r = readBody(req.body, readFields);
        if ('error' in r) return r.error;
        if (r.value.topic) {
          const names = (await store.topics(auth.companyId)).map((t) => t.name);
          if (!names.includes(r.value.topic)) return bad('topic must be one of the company topics');
        }
        return json(200, { evaluation: await store.save(auth.companyId, e.conv.id, auth.agentId, r.value) });
      },
    },
  ];
}
