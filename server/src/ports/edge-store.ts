// IP blocks (C3) and service regions (C4) as configured by a company. The
// decision itself is domain/edge/blocking.ts; runtime/edge-guard.ts caches
// these rules per company. Every method is scoped to a company.
export interface IpBlock {
  id: string;
  /** address or CIDR, canonical */
  target: string;
  kind: 'visitor' | 'chat';
  /** epoch ms; null = until removed */
  until: number | null;
  createdBy: string;
  createdAt: number;
}

export interface ServiceRegions {
  mode: 'off' | 'allow' | 'deny';
  regions: string[];
  deniedIcon: 'hidden' | 'disabled';
}

export const DEFAULT_SERVICE_REGIONS: ServiceRegions = { mode: 'off', regions: [], deniedIcon: 'hidden' };

export interface EdgeStore {
  listBlocks(companyId: string): Promise<IpBlock[]>;
  addBlock(companyId: string, block: Omit<IpBlock, 'id' | 'createdAt'>): Promise<IpBlock>;
  /** false when there was no such block */
  removeBlock(companyId: string, id: string): Promise<boolean>;
  serviceRegions(companyId: string): Promise<ServiceRegions>;
  saveServiceRegions(companyId: string, rule: ServiceRegions): Promise<void>;
}
