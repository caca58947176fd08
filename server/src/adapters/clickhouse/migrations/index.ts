// Ordered ClickHouse migrations. Append only: never edit one that has shipped,
// add the next number. Statements must be idempotent (IF NOT EXISTS) because a
// crash between a statement and its schema_migrations row re-runs the migration.
import { migration as m1 } from './0001_tracking.js';
import { migration as m2 } from './0002_chat_facts.js';
import { migration as m3 } from './0003_page_views_timed.js';
import { migration as m4 } from './0004_report_funnels.js';
import { migration as m5 } from './0005_report_speed.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [m1, m2, m3, m4, m5];
