// E10 conversation evaluation, its topic list and the pending queue.
import { request } from './http';

export interface EvaluationTopic { id: string; name: string; sort: number; isDefault: boolean }
export type Gender = '' | 'male' | 'female';
export interface EvaluationFields {
  name: string; gender: Gender; category: string; phone: string; channel: string; topic: string; level: string; remarks: string;
}
export interface Evaluation extends EvaluationFields { conversationId: string; agentId: string; updatedAt: number }
export interface PendingEvaluation { conversationId: string; visitorId: string; visitorName: string; createdAt: number; endedAt: number }

export const listTopics = () => request<{ items: EvaluationTopic[] }>('GET', '/api/v1/evaluation-topics');
export const saveTopics = (topics: Array<{ name: string; isDefault: boolean }>) =>
  request<{ items: EvaluationTopic[] }>('PUT', '/api/v1/evaluation-topics', { body: { topics } });
export const getEvaluation = (conversationId: string) =>
  request<{ evaluation: Evaluation | null }>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}/evaluation`);
export const saveEvaluation = (conversationId: string, fields: EvaluationFields) =>
  request<{ evaluation: Evaluation }>('PUT', `/api/v1/conversations/${encodeURIComponent(conversationId)}/evaluation`, { body: fields });
export const pendingEvaluations = (limit = 50) =>
  request<{ items: PendingEvaluation[]; total: number }>('GET', '/api/v1/evaluations/pending', { query: { limit } });
