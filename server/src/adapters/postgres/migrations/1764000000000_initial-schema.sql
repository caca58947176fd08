-- Up Migration

-- Tenancy model (docs/decisions/0002-postgres-tenancy.md):
--  * every table carries company_id and has RLS enabled AND forced, with one
--    policy `company_id = current_setting('app.company_id', true)`;
--  * the application connects as switchboard_app (LOGIN, not the owner,
--    NOBYPASSRLS) and sets app.company_id per transaction;
--  * the few lookups that must cross companies (company by public key, session
--    by token, open conversations at boot, company count) are SECURITY DEFINER
--    functions owned by switchboard_system, a NOLOGIN role whose only extra
--    policies are read access to exactly those tables. The app role may execute
--    the functions but is not a member of switchboard_system.

-- Roles are cluster-wide; several databases (tests, staging) may race to create them.
DO $$
BEGIN
  BEGIN
    CREATE ROLE switchboard_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE switchboard_system NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  -- A non-superuser owner must be a member to hand functions over to switchboard_system.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT switchboard_system TO %I', current_user);
  END IF;
END $$;

CREATE TABLE companies (
  id          text PRIMARY KEY CHECK (id ~ '^[0-9]{8}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  public_key  text NOT NULL UNIQUE CHECK (public_key ~ '^[A-Za-z0-9_-]{16,64}$'),
  time_zone   text NOT NULL DEFAULT 'Asia/Shanghai',
  settings    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  company_id    text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id            text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  name          text NOT NULL,
  password_hash text NOT NULL,
  totp_secret   text,
  role          text NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent')),
  permissions   text[] NOT NULL DEFAULT '{}',
  disabled      boolean NOT NULL DEFAULT false,
  max_chats     integer NOT NULL DEFAULT 5 CHECK (max_chats >= 0),
  auto_accept   boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);

CREATE TABLE groups (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         text NOT NULL CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);

CREATE TABLE group_members (
  company_id text NOT NULL,
  group_id   text NOT NULL,
  agent_id   text NOT NULL,
  PRIMARY KEY (company_id, group_id, agent_id),
  FOREIGN KEY (company_id, group_id) REFERENCES groups (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_agent ON group_members (company_id, agent_id);

CREATE TABLE visitors (
  company_id  text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id          text NOT NULL,
  name        text NOT NULL DEFAULT '',
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  visit_count integer NOT NULL DEFAULT 1,
  ip          text,
  region      text,
  user_agent  text,
  language    text,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX visitors_last_seen ON visitors (company_id, last_seen DESC);

CREATE TABLE conversations (
  company_id    text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  visitor_id    text NOT NULL,
  visitor_name  text NOT NULL DEFAULT '',
  group_id      text,
  agent_id      text,
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'active', 'transferring', 'ended')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  assigned_at   timestamptz,
  ended_at      timestamptz,
  ended_by      text CHECK (ended_by IN ('visitor', 'agent', 'system')),
  last_seq      integer NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  first_message text,
  UNIQUE (company_id, id)
);
CREATE INDEX conversations_company_created ON conversations (company_id, created_at DESC, id DESC);
CREATE INDEX conversations_company_agent ON conversations (company_id, agent_id, created_at DESC) WHERE agent_id IS NOT NULL;
CREATE INDEX conversations_company_visitor ON conversations (company_id, visitor_id, created_at DESC);
CREATE INDEX conversations_open ON conversations (created_at, id) WHERE state <> 'ended';

CREATE TABLE messages (
  company_id      text NOT NULL,
  conversation_id text NOT NULL,
  seq             integer NOT NULL CHECK (seq > 0),
  sender          text NOT NULL CHECK (sender IN ('visitor', 'agent', 'system')),
  sender_id       text,
  sender_name     text,
  text            text NOT NULL,
  client_msg_id   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, client_msg_id),
  FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE
);

-- id is the SHA-256 (hex) of the bearer token the browser holds, so a leaked
-- table does not hand out live sessions.
CREATE TABLE sessions (
  id          text PRIMARY KEY,
  company_id  text NOT NULL,
  agent_id    text NOT NULL,
  csrf_token  text NOT NULL,
  ip          text NOT NULL DEFAULT '',
  user_agent  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_agent ON sessions (company_id, agent_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- agent_id is not a foreign key: failed logins name agents that may not exist.
CREATE TABLE login_log (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  agent_id   text NOT NULL,
  event      text NOT NULL CHECK (event IN ('login', 'logout', 'failed')),
  ip         text NOT NULL DEFAULT '',
  type       text NOT NULL CHECK (type IN ('console', 'api')),
  session_id text,
  at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX login_log_company_at ON login_log (company_id, at DESC, id DESC);

CREATE TABLE assignment_log (
  company_id      text NOT NULL,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  conversation_id text NOT NULL,
  agent_id        text,
  event           text NOT NULL CHECK (event ~ '^[a-z_]{1,32}$'),
  at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE
);
CREATE INDEX assignment_log_conversation ON assignment_log (company_id, conversation_id, at);
CREATE INDEX assignment_log_agent ON assignment_log (company_id, agent_id, at) WHERE agent_id IS NOT NULL;

-- Row-level security, enabled and forced (so even a non-superuser owner is scoped).
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE companies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON companies
  USING (id = current_setting('app.company_id', true))
  WITH CHECK (id = current_setting('app.company_id', true));

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['agents', 'groups', 'group_members', 'visitors', 'conversations',
                           'messages', 'sessions', 'login_log', 'assignment_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant ON %I
      USING (company_id = current_setting('app.company_id', true))
      WITH CHECK (company_id = current_setting('app.company_id', true))$p$, t);
  END LOOP;
END $$;

-- The system role reads exactly what the cross-company functions below need.
CREATE POLICY system_read ON companies FOR SELECT TO switchboard_system USING (true);
CREATE POLICY system_read ON sessions FOR SELECT TO switchboard_system USING (true);
CREATE POLICY system_delete ON sessions FOR DELETE TO switchboard_system USING (true);
CREATE POLICY system_read ON conversations FOR SELECT TO switchboard_system USING (true);
GRANT USAGE ON SCHEMA public TO switchboard_system;
GRANT SELECT ON companies, conversations TO switchboard_system;
GRANT SELECT, DELETE ON sessions TO switchboard_system;

CREATE FUNCTION sys_company_by_public_key(p_key text) RETURNS SETOF companies
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM companies WHERE public_key = p_key $$;

CREATE FUNCTION sys_count_companies() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT count(*) FROM companies $$;

-- p_id is the token hash; expired sessions are invisible and removed.
CREATE FUNCTION sys_session(p_id text) RETURNS SETOF sessions
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM sessions WHERE id = p_id AND expires_at > now() $$;

CREATE FUNCTION sys_delete_session(p_id text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM sessions WHERE id = p_id $$;

CREATE FUNCTION sys_delete_expired_sessions() RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ WITH d AS (DELETE FROM sessions WHERE expires_at <= now() RETURNING 1) SELECT count(*) FROM d $$;

CREATE FUNCTION sys_open_conversations() RETURNS SETOF conversations
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM conversations WHERE state <> 'ended' ORDER BY created_at, id $$;

ALTER FUNCTION sys_company_by_public_key(text) OWNER TO switchboard_system;
ALTER FUNCTION sys_count_companies() OWNER TO switchboard_system;
ALTER FUNCTION sys_session(text) OWNER TO switchboard_system;
ALTER FUNCTION sys_delete_session(text) OWNER TO switchboard_system;
ALTER FUNCTION sys_delete_expired_sessions() OWNER TO switchboard_system;
ALTER FUNCTION sys_open_conversations() OWNER TO switchboard_system;
REVOKE EXECUTE ON FUNCTION sys_company_by_public_key(text), sys_count_companies(), sys_session(text),
  sys_delete_session(text), sys_delete_expired_sessions(), sys_open_conversations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sys_company_by_public_key(text), sys_count_companies(), sys_session(text),
  sys_delete_session(text), sys_delete_expired_sessions(), sys_open_conversations() TO switchboard_app;

-- Group commit for chat messages: one call appends a whole batch, for many
-- companies, in the caller's (single) transaction. SECURITY INVOKER, so RLS
-- applies: app.company_id is set per company group before touching its rows.
-- p_batch = {"<companyId>": [{"i":0,"conv":"..","sender":"visitor","sid":"..","sname":"..","body":"..","cid":".."}, ...]}
-- Returns one row per item: o_status new | duplicate | batch_duplicate | not_found | ended.
CREATE FUNCTION append_messages(p_batch jsonb)
  RETURNS TABLE (o_i integer, o_status text, o_seq integer, o_sender text, o_sender_id text,
                 o_sender_name text, o_body text, o_client_msg_id text, o_created_at timestamptz)
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  c text;
  items jsonb;
BEGIN
  FOR c, items IN SELECT key, value FROM jsonb_each(p_batch) ORDER BY key LOOP
    PERFORM set_config('app.company_id', c, true);
    -- Lock the company's conversations in id order; every batch locks in
    -- (company, id) order, so concurrent batches cannot deadlock. The next
    -- statement takes a fresh snapshot, so it sees messages committed by
    -- whoever held these locks before us (concurrent retries of one message).
    PERFORM 1 FROM conversations cv
      WHERE cv.id IN (SELECT x->>'conv' FROM jsonb_array_elements(items) x)
      ORDER BY cv.id FOR UPDATE;

    RETURN QUERY
    WITH it AS (
      SELECT * FROM jsonb_to_recordset(items)
        AS r(i integer, conv text, sender text, sid text, sname text, body text, cid text)
    ),
    judged AS (
      SELECT it.*, cv.last_seq,
             ex.seq AS ex_seq, ex.sender AS ex_sender, ex.sender_id AS ex_sid, ex.sender_name AS ex_sname,
             ex.text AS ex_body, ex.created_at AS ex_at,
             CASE WHEN cv.id IS NULL THEN 'not_found'
                  WHEN ex.seq IS NOT NULL THEN 'duplicate'
                  WHEN cv.state = 'ended' THEN 'ended'
                  WHEN it.cid IS NOT NULL
                       AND row_number() OVER (PARTITION BY it.conv, it.cid ORDER BY it.i) > 1 THEN 'batch_duplicate'
                  ELSE 'new' END AS status
      FROM it
      LEFT JOIN conversations cv ON cv.id = it.conv
      LEFT JOIN messages ex ON ex.conversation_id = it.conv AND ex.client_msg_id = it.cid
    ),
    fresh AS (
      SELECT j.*, (j.last_seq + row_number() OVER (PARTITION BY j.conv ORDER BY j.i))::integer AS new_seq
      FROM judged j WHERE j.status = 'new'
    ),
    ins AS (
      INSERT INTO messages (company_id, conversation_id, seq, sender, sender_id, sender_name, text, client_msg_id)
      SELECT c, f.conv, f.new_seq, f.sender, f.sid, f.sname, f.body, f.cid FROM fresh f
      RETURNING 1
    ),
    bump AS (
      UPDATE conversations cv
         SET last_seq = g.top,
             first_message = COALESCE(cv.first_message, g.first_visitor)
        FROM (SELECT f.conv, max(f.new_seq) AS top,
                     (array_agg(f.body ORDER BY f.i) FILTER (WHERE f.sender = 'visitor'))[1] AS first_visitor
                FROM fresh f GROUP BY f.conv) g
       WHERE cv.id = g.conv
      RETURNING 1
    )
    SELECT j.i, j.status,
           CASE j.status WHEN 'new' THEN f.new_seq WHEN 'duplicate' THEN j.ex_seq WHEN 'batch_duplicate' THEN f1.new_seq END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sender WHEN j.status = 'batch_duplicate' THEN f1.sender ELSE j.sender END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sid WHEN j.status = 'batch_duplicate' THEN f1.sid ELSE j.sid END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sname WHEN j.status = 'batch_duplicate' THEN f1.sname ELSE j.sname END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_body WHEN j.status = 'batch_duplicate' THEN f1.body ELSE j.body END,
           j.cid,
           CASE WHEN j.status = 'duplicate' THEN j.ex_at ELSE now() END
      FROM judged j
      LEFT JOIN fresh f ON f.i = j.i
      LEFT JOIN fresh f1 ON j.status = 'batch_duplicate' AND f1.conv = j.conv AND f1.cid = j.cid;
      -- ins and bump are not referenced: data-modifying CTEs always run to completion.
  END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION append_messages(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_messages(jsonb) TO switchboard_app;

-- Application privileges: data only, never DDL; not the owner of anything.
GRANT USAGE ON SCHEMA public TO switchboard_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON companies, agents, groups, group_members, visitors,
  conversations, messages, sessions, login_log, assignment_log TO switchboard_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;

-- Down Migration

DROP FUNCTION IF EXISTS append_messages(jsonb);
DROP FUNCTION IF EXISTS sys_open_conversations();
DROP FUNCTION IF EXISTS sys_delete_expired_sessions();
DROP FUNCTION IF EXISTS sys_delete_session(text);
DROP FUNCTION IF EXISTS sys_session(text);
DROP FUNCTION IF EXISTS sys_count_companies();
DROP FUNCTION IF EXISTS sys_company_by_public_key(text);
DROP TABLE IF EXISTS assignment_log, login_log, sessions, messages, conversations, visitors,
  group_members, groups, agents, companies;
