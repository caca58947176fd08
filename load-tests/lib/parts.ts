// Every kind of load part, by name, for pool.ts and worker.ts.
import { messagesPart } from '../scenarios/messages-part.js';
import { assignmentPart } from '../scenarios/assignment-part.js';
import { idlePart } from '../scenarios/idle-part.js';
import { churnPart } from '../scenarios/churn-part.js';

type Part = Record<string, (arg: any) => Promise<unknown>>;

export const partFactories = {
  messages: messagesPart as unknown as (input: any) => Promise<Part>,
  assignment: assignmentPart as unknown as (input: any) => Promise<Part>,
  idle: idlePart as unknown as (input: any) => Promise<Part>,
  churn: churnPart as unknown as (input: any) => Promise<Part>,
} satisfies Record<string, (input: any) => Promise<Part>>;

export type PartName = keyof typeof partFactories;
