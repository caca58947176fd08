// C3 IP blocks from the visitor list's context menu (needs the blocking permission).
import { request } from './http';

export interface IpBlock { id: string; target: string; kind: 'visitor' | 'chat'; until: number | null }

export const addBlock = (b: { target: string; kind: 'visitor' | 'chat'; until: number | null }) =>
  request<{ block: IpBlock }>('POST', '/api/v1/blocks', { body: b }).then((r) => r.block);
