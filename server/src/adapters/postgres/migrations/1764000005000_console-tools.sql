-- Up Migration

-- Agent console tools: canned responses (E5), common links (E6), conversation
-- evaluation with its topic list (E10), a basic customer record (E11) and
-- per-agent settings (B4). Same tenancy model: company_id on every row, RLS forced.

-- owner_id NULL = a company item (needs 'canned_responses'); else the agent's own.
CREATE TABLE canned_responses (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  owner_id   text,
  category   text NOT NULL CHECK (length(category) BETWEEN 1 AND 40),
  title      text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
  text       text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  sort       integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, owner_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX canned_responses_owner ON canned_responses (company_id, owner_id, category, sort, id);

CREATE TABLE common_links (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  owner_id   text,
  title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  url        text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, owner_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);

CREATE TABLE evaluation_topics (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  sort       integer NOT NULL DEFAULT 0,
  is_default boolean NOT NULL DEFAULT false,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);
CREATE UNIQUE INDEX evaluation_topics_one_default ON evaluation_topics (company_id) WHERE is_default;

-- One evaluation per conversation; topic is kept by name so deleting a topic
-- does not rewrite history.
CREATE TABLE evaluations (
  company_id      text NOT NULL,
  conversation_id text NOT NULL,
  agent_id        text NOT NULL,
  name            text NOT NULL DEFAULT '',
  gender          text NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female')),
  category        text NOT NULL DEFAULT '',
  phone           text NOT NULL DEFAULT '',
  channel         text NOT NULL DEFAULT '',
  topic           text NOT NULL DEFAULT '',
  level           text NOT NULL DEFAULT '',
  remarks         text NOT NULL DEFAULT '',
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, conversation_id),
  FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE
);

CREATE TABLE customers (
  company_id  text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  name        text NOT NULL DEFAULT '',
  gender      text NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female')),
  phone       text NOT NULL DEFAULT '',
  email       text NOT NULL DEFAULT '',
  org         text NOT NULL DEFAULT '',
  remarks     text NOT NULL DEFAULT '',
  visitor_ids text[] NOT NULL DEFAULT '{}',
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX customers_visitors ON customers USING gin (visitor_ids);

CREATE TABLE agent_settings (
  company_id text NOT NULL,
  agent_id   text NOT NULL,
  settings   jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, agent_id),
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['canned_responses', 'common_links', 'evaluation_topics', 'evaluations', 'customers', 'agent_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant ON %I
      USING (company_id = current_setting('app.company_id', true))
      WITH CHECK (company_id = current_setting('app.company_id', true))$p$, t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON canned_responses, common_links, evaluation_topics, evaluations, customers, agent_settings TO switchboard_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;

-- Down Migration

DROP TABLE IF EXISTS agent_settings, customers, evaluations, evaluation_topics, common_links, canned_responses;
