// Canned responses (E5) and common links (E6). An item with ownerId null is the
// company's (editing needs the 'canned_responses' permission, enforced by the
// routes); otherwise it is that agent's personal item. Every method is scoped to
// a company, and personal items to their owner.
export const BUILTIN_CATEGORIES = ['welcome', 'common', 'closing'] as const;

export interface CannedResponse {
  id: string;
  /** null = company-wide */
  ownerId: string | null;
  /** 'welcome' | 'common' | 'closing' or a custom name */
  category: string;
  title: string;
  text: string;
  sort: number;
  updatedAt: number;
}

export type CannedInput = Pick<CannedResponse, 'category' | 'title' | 'text' | 'sort'>;

export interface CommonLink {
  id: string;
  ownerId: string | null;
  title: string;
  /** http(s) only */
  url: string;
}

export interface CannedStore {
  /** company items plus the agent's own, by category, sort, id */
  list(companyId: string, agentId: string): Promise<CannedResponse[]>;
  get(companyId: string, id: string): Promise<CannedResponse | null>;
  create(companyId: string, ownerId: string | null, input: CannedInput): Promise<CannedResponse>;
  /** many at once in one transaction (CSV import) */
  createMany(companyId: string, ownerId: string | null, input: CannedInput[]): Promise<number>;
  update(companyId: string, id: string, input: CannedInput): Promise<CannedResponse | null>;
  remove(companyId: string, id: string): Promise<boolean>;

  listLinks(companyId: string, agentId: string): Promise<CommonLink[]>;
  getLink(companyId: string, id: string): Promise<CommonLink | null>;
  createLink(companyId: string, ownerId: string | null, input: { title: string; url: string }): Promise<CommonLink>;
  updateLink(companyId: string, id: string, input: { title: string; url: string }): Promise<CommonLink | null>;
  removeLink(companyId: string, id: string): Promise<boolean>;
}
