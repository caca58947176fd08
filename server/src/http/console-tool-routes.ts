// The agent console's tool routes in one list, so server.ts registers them in one line.
import type { CannedStore } from '../ports/canned-store.js';
import type { EvaluationStore } from '../ports/evaluation-store.js';
import type { CustomerStore } from '../ports/customer-store.js';
import type { AgentSettingsStore } from '../ports/agent-settings-store.js';
import type { Route } from './types.js';
import { cannedRoutes } from './canned-routes.js';
import { evaluationRoutes } from './evaluation-routes.js';
import { customerRoutes } from './customer-routes.js';
import { agentSettingsRoutes } from './agent-settings-routes.js';

export function consoleToolRoutes(s: { canned: CannedStore; evaluations: EvaluationStore; customers: CustomerStore; agentSettings: AgentSettingsStore }): Route[] {
  return [
    ...cannedRoutes({ store: s.canned }),
    ...evaluationRoutes({ store: s.evaluations }),
    ...customerRoutes({ store: s.customers }),
    ...agentSettingsRoutes({ store: s.agentSettings }),
  ];
}
