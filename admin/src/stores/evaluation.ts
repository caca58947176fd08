// E10: the company's topic list and this agent's pending-evaluation queue,
// which feeds the toolbar counter 等待评估. Refreshed on session start, when
// one of my chats ends, and after each save.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as api from '../api/evaluation';

export const useEvaluationStore = defineStore('evaluation', () => {
  const topics = ref<api.EvaluationTopic[]>([]);
  const pending = ref<api.PendingEvaluation[]>([]);
  const pendingTotal = ref(0);

  async function loadTopics(): Promise<void> {
    topics.value = (await api.listTopics()).items;
  }

  async function refreshPending(): Promise<void> {
    const r = await api.pendingEvaluations();
    pending.value = r.items;
    pendingTotal.value = r.total;
  }

  async function save(conversationId: string, fields: api.EvaluationFields): Promise<api.Evaluation> {
    const { evaluation } = await api.saveEvaluation(conversationId, fields);
    await refreshPending();
    return evaluation;
  }

  async function saveTopics(list: Array<{ name: string; isDefault: boolean }>): Promise<void> {
    topics.value = (await api.saveTopics(list)).items;
  }

  function reset(): void {
    topics.value = [];
    pending.value = [];
    pendingTotal.value = 0;
  }

  return { topics, pending, pendingTotal, loadTopics, refreshPending, save, saveTopics, reset };
});
