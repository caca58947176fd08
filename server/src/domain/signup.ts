// Creating a company with its first agent, the admin (A1). Shared by the signup
// route, the create-company CLI and the demo seeder, so the rules live once.
import type { AccountStore, Agent, Company } from '../ports/account-store.js';
import { AppError } from '../ports/errors.js';
import { ErrorCode } from '../../../protocol/codes.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { AGENT_ID_PATTERN } from './company-ids.js';

export interface NewCompanyInput {
  name: string;
  adminName: string;
  /** defaults to 'admin' */
  agentId?: string;
  password: string;
  timeZone?: string;
}

export const COMPANY_NAME_MAX = 100;
export const AGENT_NAME_MAX = 64;

/** Returns the first problem with the input, or null when it is acceptable. */
export function newCompanyProblem(input: { name: unknown; adminName: unknown; agentId?: unknown; password: unknown }): string | null {
  if (!isText(input.name, COMPANY_NAME_MAX)) return `company name must be 1–${COMPANY_NAME_MAX} characters`;
  if (!isText(input.adminName, AGENT_NAME_MAX)) return `admin name must be 1–${AGENT_NAME_MAX} characters`;
  if (input.agentId !== undefined && input.agentId !== null && (typeof input.agentId !== 'string' || !AGENT_ID_PATTERN.test(input.agentId))) {
    return 'agent ID must be 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit';
  }
  return passwordProblem(input.password);
}

/** Validates untyped input (a request body's fields) into a NewCompanyInput, or returns the problem. */
export function parseNewCompany(raw: { name: unknown; adminName: unknown; agentId?: unknown; password: unknown }): NewCompanyInput | string {
  const problem = newCompanyProblem(raw);
  if (problem) return problem;
  return {
    name: raw.name as string,
    adminName: raw.adminName as string,
    password: raw.password as string,
    ...(typeof raw.agentId === 'string' ? { agentId: raw.agentId } : {}),
  };
}

/** Throws AppError(bad_request) on invalid input; trims the names. */
export async function createCompanyWithAdmin(accounts: AccountStore, input: NewCompanyInput): Promise<{ company: Company; admin: Agent }> {
  const problem = newCompanyProblem(input);
  if (problem) throw new AppError(ErrorCode.BadRequest, problem, 400);
  const passwordHash = await hashPassword(input.password);
  return accounts.createCompany({
    name: input.name.trim(),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    admin: { id: input.agentId ?? 'admin', name: input.adminName.trim(), passwordHash },
  });
}

function isText(v: unknown, max: number): v is string {
  if (typeof v !== 'string') return false;
  const t = v.trim();
  // Control characters have no business in a display name.
  return t.length >= 1 && [...t].length <= max && !/[\u0000-\u001f\u007f]/.test(t);
}
