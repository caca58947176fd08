// Internal collaboration payloads (F1 agent chat, F2 broadcasts, A5 permission
// pushes), shared by the server's REST answers and the agent socket frames.
export interface AgentChatFile {
  key: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
}

export interface AgentChatMessage {
  id: number;
  fromAgentId: string;
  toAgentId: string;
  text: string;
  file: AgentChatFile | null;
  at: number;
  readAt: number | null;
}

export type BroadcastAudience = 'all' | 'groups' | 'agents';
export type BroadcastDelivery = 'now' | 'login' | 'at';

export interface Broadcast {
  id: number;
  senderId: string;
  senderName: string;
  text: string;
  audience: BroadcastAudience;
  /** group ids or agent ids, per audience */
  targets: string[];
  delivery: BroadcastDelivery;
  sendAt: number;
  /** null while scheduled */
  sentAt: number | null;
  createdAt: number;
}

export interface ReceivedBroadcast extends Broadcast {
  readAt: number | null;
}

/** What the console must apply at once after an admin edits this agent. */
export interface AgentPermissionsUpdate {
  role: 'admin' | 'agent';
  /** the effective list (an admin holds every permission) */
  permissions: string[];
  disabled: boolean;
}
