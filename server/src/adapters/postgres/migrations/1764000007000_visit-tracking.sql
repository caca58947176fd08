-- Up Migration

-- I1/C1 visit tracking: the visit in progress per visitor, so a restarted server
-- continues it (same visit id, same landing page) instead of counting a new visit;
-- the company's Do-Not-Track switch and L1 member-token secret.
ALTER TABLE visitors ADD COLUMN visit jsonb;

CREATE TABLE tracking_settings (
  company_id    text PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  honour_dnt    boolean NOT NULL DEFAULT false,
  member_secret text NOT NULL CHECK (length(member_secret) >= 32),
  -- still accepted after a rotation, until the next one (docs/member-integration.md)
  member_secret_previous text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tracking_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tracking_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON tracking_settings
  USING (company_id = current_setting('app.company_id', true))
  WITH CHECK (company_id = current_setting('app.company_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON tracking_settings TO switchboard_app;

-- Down Migration

DROP TABLE IF EXISTS tracking_settings;
ALTER TABLE visitors DROP COLUMN IF EXISTS visit;
