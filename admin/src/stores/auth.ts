// Who is logged in, with which permissions, and their presence status.
// The session itself is an HttpOnly cookie; we keep only the CSRF token.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AgentStatus } from '../../../protocol/codes';
import * as authApi from '../api/auth';
import { ApiError, setCsrfToken } from '../api/http';

export const useAuthStore = defineStore('auth', () => {
  const agent = ref<authApi.SessionAgent | null>(null);
  const companyId = ref<string | null>(null);
  /** Presence as confirmed by the server (agent.ready / agent.status). */
  const status = ref<AgentStatus>('offline');
  /** The idle timer, not the agent, made the agent away (B2). */
  const autoAway = ref(false);
  /** true once /me has been asked this page load */
  const checked = ref(false);

  const loggedIn = computed(() => agent.value !== null);
  const isAdmin = computed(() => agent.value?.role === 'admin');
  const can = (permission: string) => isAdmin.value || (agent.value?.permissions.includes(permission) ?? false);

  function apply(s: authApi.Session): void {
    agent.value = s.agent;
    companyId.value = s.companyId;
    if (s.agent.status) status.value = s.agent.status;
    setCsrfToken(s.csrfToken);
  }

  function clear(): void {
    agent.value = null;
    companyId.value = null;
    status.value = 'offline';
    autoAway.value = false;
    setCsrfToken(null);
  }

  async function login(input: authApi.LoginInput): Promise<void> {
    apply(await authApi.login(input));
    checked.value = true;
  }

  /** Restore a session from the cookie; false when there is none. */
  async function restore(): Promise<boolean> {
    if (checked.value) return loggedIn.value;
    try {
      apply(await authApi.me());
    } catch (err) {
      if (!(err instanceof ApiError) || (err.status !== 401 && err.status !== 403)) throw err;
      clear();
    } finally {
      checked.value = true;
    }
    return loggedIn.value;
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  return { agent, companyId, status, autoAway, checked, loggedIn, isAdmin, can, login, restore, logout, clear };
});
