-- Up Migration

-- Widget side of "Visitor widget and visit tracking": uploaded files (E2/E3),
-- offline messages and their form (G2/J4), IP blocks and service regions (C3/C4).
-- Same tenancy model as the initial schema: company_id on every row, RLS forced.

-- One row per upload. `key` names the stored original, `thumb_key` its thumbnail;
-- both are random server-made names, never user input.
CREATE TABLE files (
  company_id      text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  key             text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{20,64}$'),
  thumb_key       text CHECK (thumb_key ~ '^[A-Za-z0-9_-]{20,64}$'),
  conversation_id text,
  uploader        text NOT NULL CHECK (uploader IN ('agent', 'visitor')),
  uploader_id     text NOT NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  mime            text NOT NULL,
  size            integer NOT NULL CHECK (size >= 0),
  kind            text NOT NULL CHECK (kind IN ('image', 'file')),
  width           integer,
  height          integer,
  declined        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, key),
  FOREIGN KEY (company_id, conversation_id) REFERENCES conversations (company_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX files_thumb ON files (company_id, thumb_key) WHERE thumb_key IS NOT NULL;
CREATE INDEX files_conversation ON files (company_id, conversation_id);

CREATE TABLE widget_settings (
  company_id   text PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  -- { fields: [{ id, label, required, maxLength }], iconTexts: { online, offline } }
  offline_form jsonb NOT NULL DEFAULT '{}',
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offline_messages (
  company_id  text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id          text NOT NULL CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL CHECK (reason IN ('busy', 'offline', 'outside_service')),
  fields      jsonb NOT NULL,
  visitor_id  text NOT NULL,
  source_url  text NOT NULL DEFAULT '',
  ip          text NOT NULL DEFAULT '',
  region      text NOT NULL DEFAULT '',
  engine      text NOT NULL DEFAULT '',
  keyword     text NOT NULL DEFAULT '',
  type        text NOT NULL DEFAULT '',
  replied     boolean NOT NULL DEFAULT false,
  replied_by  text,
  replied_at  timestamptz,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX offline_messages_created ON offline_messages (company_id, created_at DESC, id DESC);
CREATE INDEX offline_messages_unreplied ON offline_messages (company_id) WHERE NOT replied;

-- C3: target is an address or CIDR (validated by the application with parseCidr).
CREATE TABLE ip_blocks (
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  target     text NOT NULL CHECK (length(target) BETWEEN 2 AND 64),
  kind       text NOT NULL CHECK (kind IN ('visitor', 'chat')),
  until      timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);

-- C4: one row per company; no row = off.
CREATE TABLE service_regions (
  company_id  text PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  mode        text NOT NULL CHECK (mode IN ('off', 'allow', 'deny')),
  regions     text[] NOT NULL DEFAULT '{}',
  denied_icon text NOT NULL DEFAULT 'hidden' CHECK (denied_icon IN ('hidden', 'disabled')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['files', 'widget_settings', 'offline_messages', 'ip_blocks', 'service_regions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant ON %I
      USING (company_id = current_setting('app.company_id', true))
      WITH CHECK (company_id = current_setting('app.company_id', true))$p$, t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON files, widget_settings, offline_messages, ip_blocks, service_regions TO switchboard_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;

-- Down Migration

DROP TABLE IF EXISTS service_regions, ip_blocks, offline_messages, widget_settings, files;
