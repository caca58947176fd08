-- Up Migration

-- Routing core (issue 3): what the company router needs to rebuild itself after a
-- crash, and what the assignment log must say to check the invariants afterwards.

-- Scope of the chat request (company | group:<id> | agent:<id>) and a pending transfer target.
ALTER TABLE conversations ADD COLUMN scope text NOT NULL DEFAULT 'company'
  CHECK (scope ~ '^(company|group:[A-Za-z0-9_.:-]{1,64}|agent:[A-Za-z0-9._@-]{1,64})$');
ALTER TABLE conversations ADD COLUMN transfer_to text;

-- Per-agent auto-reply (B4): { "text": "...", "afterMs": 30000, "maxTimes": 2 } or null.
ALTER TABLE agents ADD COLUMN auto_reply jsonb;

-- One row per router decision. `decision` orders decisions (the router is one writer per
-- company); status/load/cap are the router's view of the agent at that moment.
ALTER TABLE assignment_log ADD COLUMN mode text CHECK (mode IN ('auto', 'manual', 'transfer', 'takeover'));
ALTER TABLE assignment_log ADD COLUMN reason text;
ALTER TABLE assignment_log ADD COLUMN status text;
ALTER TABLE assignment_log ADD COLUMN load integer;
ALTER TABLE assignment_log ADD COLUMN cap integer;
ALTER TABLE assignment_log ADD COLUMN scope text;
ALTER TABLE assignment_log ADD COLUMN ticket integer;
ALTER TABLE assignment_log ADD COLUMN decision bigint;
CREATE INDEX assignment_log_decision ON assignment_log (company_id, decision);

-- Whispers (D6): supervisor → agent notes inside a chat. Kept out of `messages` so no
-- visitor read path (live, resume, history) can ever return one.
CREATE TABLE whispers (
  company_id      text NOT NULL,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  conversation_id text NOT NULL,
  supervisor_id   text NOT NULL,
  -- console users allowed to read it: the chat's agent and the supervisors watching
  agent_ids       text[] NOT NULL,
  text            text NOT NULL,
  client_msg_id   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, conversation_id, client_msg_id),
  FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE
);

ALTER TABLE whispers ENABLE ROW LEVEL SECURITY;
ALTER TABLE whispers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON whispers
  USING (company_id = current_setting('app.company_id', true))
  WITH CHECK (company_id = current_setting('app.company_id', true));
GRANT SELECT, INSERT ON whispers TO switchboard_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;

-- Down Migration

DROP TABLE IF EXISTS whispers;
DROP INDEX IF EXISTS assignment_log_decision;
ALTER TABLE assignment_log DROP COLUMN IF EXISTS mode, DROP COLUMN IF EXISTS reason, DROP COLUMN IF EXISTS status,
  DROP COLUMN IF EXISTS load, DROP COLUMN IF EXISTS cap, DROP COLUMN IF EXISTS scope, DROP COLUMN IF EXISTS ticket,
  DROP COLUMN IF EXISTS decision;
ALTER TABLE agents DROP COLUMN IF EXISTS auto_reply;
ALTER TABLE conversations DROP COLUMN IF EXISTS scope, DROP COLUMN IF EXISTS transfer_to;
