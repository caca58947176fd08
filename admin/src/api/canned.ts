// E5 canned responses and E6 common links over REST.
import { request } from './http';

export type Scope = 'company' | 'personal';

export interface CannedResponse {
  id: string;
  /** null = company item */
  ownerId: string | null;
  category: string;
  title: string;
  text: string;
  sort: number;
  updatedAt: number;
}
export type CannedInput = { category: string; title: string; text: string; sort?: number };

export interface CommonLink { id: string; ownerId: string | null; title: string; url: string }

export const listCanned = () => request<{ items: CannedResponse[] }>('GET', '/api/v1/canned-responses');
export const createCanned = (scope: Scope, input: CannedInput) =>
  request<{ item: CannedResponse }>('POST', '/api/v1/canned-responses', { body: { scope, ...input } });
export const updateCanned = (id: string, input: CannedInput) =>
  request<{ item: CannedResponse }>('PUT', `/api/v1/canned-responses/${encodeURIComponent(id)}`, { body: input });
export const deleteCanned = (id: string) => request<void>('DELETE', `/api/v1/canned-responses/${encodeURIComponent(id)}`);
export const importCanned = (scope: Scope, csv: string) =>
  request<{ imported: number }>('POST', '/api/v1/canned-responses/import', { body: { scope, csv } });
/** a plain GET link: the server answers an attachment, the browser downloads it */
export const exportCannedUrl = (scope: Scope) => `/api/v1/canned-responses/export?scope=${scope}`;

export const listLinks = () => request<{ items: CommonLink[] }>('GET', '/api/v1/common-links');
export const createLink = (scope: Scope, input: { title: string; url: string }) =>
  request<{ item: CommonLink }>('POST', '/api/v1/common-links', { body: { scope, ...input } });
export const updateLink = (id: string, input: { title: string; url: string }) =>
  request<{ item: CommonLink }>('PUT', `/api/v1/common-links/${encodeURIComponent(id)}`, { body: input });
export const deleteLink = (id: string) => request<void>('DELETE', `/api/v1/common-links/${encodeURIComponent(id)}`);
