// Session cookie → auth context. The agent row is read on every call so that a
// disabled agent or a revoked permission takes effect at once.
import type { AccountStore } from '../ports/account-store.js';
import type { AuthContext } from '../http/types.js';
import { agentView } from '../http/auth-shared.js';

export function sessionAuthenticator(accounts: AccountStore) {
  return async (sessionId: string): Promise<AuthContext | null> => {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(sessionId)) return null;
    const session = await accounts.session(sessionId);
    if (!session) return null;
    const agent = await accounts.agent(session.companyId, session.agentId);
    if (!agent || agent.disabled) return null;
    const view = agentView(agent);
    return {
      companyId: session.companyId, agentId: session.agentId, name: agent.name, sessionId: session.id, csrfToken: session.csrfToken,
      role: view.role, permissions: view.permissions,
    };
  };
}
