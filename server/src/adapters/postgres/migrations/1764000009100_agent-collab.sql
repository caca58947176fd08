-- Up Migration

-- Internal collaboration: agent-to-agent chat (F1) and broadcasts (F2).
-- Same tenancy model as every table: company_id on each row, RLS forced.

-- One row per message between two agents of a company; read_at is the
-- recipient's. Deleting an agent removes their internal chat with it.
CREATE TABLE agent_messages (
  company_id text NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  from_agent text NOT NULL,
  to_agent   text NOT NULL,
  text       text NOT NULL DEFAULT '' CHECK (length(text) <= 4000),
  -- {key,name,size,mime,kind} of an uploaded file (files row keeps the bytes' facts)
  file       jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz,
  PRIMARY KEY (company_id, id),
  CHECK (from_agent <> to_agent),
  CHECK (length(text) > 0 OR file IS NOT NULL),
  FOREIGN KEY (company_id, from_agent) REFERENCES agents (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, to_agent) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX agent_messages_pair ON agent_messages (company_id, least(from_agent, to_agent), greatest(from_agent, to_agent), id);
CREATE INDEX agent_messages_unread ON agent_messages (company_id, to_agent) WHERE read_at IS NULL;

-- A broadcast: audience all / groups / agents (targets = group or agent ids);
-- delivery now / login (shown to sessions started after it) / at (send_at).
-- sent_at is set when recipients are resolved; NULL = still scheduled.
CREATE TABLE broadcasts (
  company_id  text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  sender_id   text NOT NULL,
  sender_name text NOT NULL,
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  audience    text NOT NULL CHECK (audience IN ('all', 'groups', 'agents')),
  targets     text[] NOT NULL DEFAULT '{}',
  delivery    text NOT NULL CHECK (delivery IN ('now', 'login', 'at')),
  send_at     timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX broadcasts_due ON broadcasts (send_at) WHERE sent_at IS NULL;
CREATE INDEX broadcasts_sender ON broadcasts (company_id, sender_id, id);

CREATE TABLE broadcast_recipients (
  company_id   text NOT NULL,
  broadcast_id bigint NOT NULL,
  agent_id     text NOT NULL,
  read_at      timestamptz,
  PRIMARY KEY (company_id, broadcast_id, agent_id),
  FOREIGN KEY (company_id, broadcast_id) REFERENCES broadcasts (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX broadcast_recipients_agent ON broadcast_recipients (company_id, agent_id, broadcast_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['agent_messages', 'broadcasts', 'broadcast_recipients'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant ON %I
      USING (company_id = current_setting('app.company_id', true))
      WITH CHECK (company_id = current_setting('app.company_id', true))$p$, t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON agent_messages, broadcasts, broadcast_recipients TO switchboard_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;

-- The scheduler's only cross-company question: which broadcasts are due.
-- It answers ids only; sending happens per company under RLS.
CREATE POLICY system_read ON broadcasts FOR SELECT TO switchboard_system USING (true);
GRANT SELECT ON broadcasts TO switchboard_system;
CREATE FUNCTION sys_due_broadcasts(p_limit integer) RETURNS TABLE (company_id text, id bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT b.company_id, b.id FROM broadcasts b WHERE b.sent_at IS NULL AND b.send_at <= now() ORDER BY b.send_at LIMIT p_limit $$;
ALTER FUNCTION sys_due_broadcasts(integer) OWNER TO switchboard_system;
REVOKE EXECUTE ON FUNCTION sys_due_broadcasts(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sys_due_broadcasts(integer) TO switchboard_app;

-- Down Migration

DROP FUNCTION IF EXISTS sys_due_broadcasts(integer);
DROP TABLE IF EXISTS broadcast_recipients, broadcasts, agent_messages;
