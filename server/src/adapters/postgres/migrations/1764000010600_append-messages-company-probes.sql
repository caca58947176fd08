-- Up Migration

-- append_messages v4: v3 (1764000009500) with every probe naming the company.
-- Under RLS a probe by id alone also carries `company_id = current_setting(...)`,
-- and with statistics dominated by other companies (or none yet) the planner may
-- serve it from an index on company_id, walking all of the company's conversations
-- per message (~7,000 buffer hits per message in a seeded, analyzed database; the
-- same was found and fixed in conversation_ops). Naming company_id and id lets
-- every probe use the unique (company_id, id) index. The planner settings of
-- 1764000010500 are part of the definition now (CREATE OR REPLACE resets them).
CREATE OR REPLACE FUNCTION append_messages(p_batch jsonb)
  RETURNS TABLE (o_i integer, o_status text, o_seq integer, o_sender text, o_sender_id text,
                 o_sender_name text, o_body text, o_client_msg_id text, o_created_at timestamptz,
                 o_attachment jsonb)
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
  SET plan_cache_mode = force_generic_plan SET enable_bitmapscan = off
AS $$
DECLARE
  c text;
  items jsonb;
  ids text[];
BEGIN
  FOR c, items IN SELECT key, value FROM jsonb_each(p_batch) ORDER BY key LOOP
    PERFORM set_config('app.company_id', c, true);
    -- Lock the company's conversations in id order; every batch locks in
    -- (company, id) order, so concurrent batches cannot deadlock. The next
    -- statement takes a fresh snapshot, so it sees messages committed by
    -- whoever held these locks before us (concurrent retries of one message).
    ids := ARRAY(SELECT DISTINCT x->>'conv' FROM jsonb_array_elements(items) x ORDER BY 1);
    -- one primary-key probe per id, in id order (a nested loop keeps the outer order)
    PERFORM 1 FROM unnest(ids) AS u(id)
      CROSS JOIN LATERAL (SELECT 1 FROM conversations cv WHERE cv.company_id = c AND cv.id = u.id FOR UPDATE) l;

    RETURN QUERY
    WITH it AS (
      SELECT * FROM jsonb_to_recordset(items)
        AS r(i integer, conv text, sender text, sid text, sname text, body text, cid text, att jsonb)
    ),
    cv AS MATERIALIZED (
      SELECT c1.id, c1.state, c1.last_seq FROM unnest(ids) AS u(id)
        CROSS JOIN LATERAL (SELECT x.id, x.state, x.last_seq FROM conversations x WHERE x.company_id = c AND x.id = u.id LIMIT 1) c1
    ),
    judged AS (
      SELECT it.*, cv.last_seq,
             ex.seq AS ex_seq, ex.sender AS ex_sender, ex.sender_id AS ex_sid, ex.sender_name AS ex_sname,
             ex.text AS ex_body, ex.created_at AS ex_at, ex.attachment AS ex_att,
             CASE WHEN cv.id IS NULL THEN 'not_found'
                  WHEN ex.seq IS NOT NULL THEN 'duplicate'
                  WHEN cv.state = 'ended' THEN 'ended'
                  WHEN it.cid IS NOT NULL
                       AND row_number() OVER (PARTITION BY it.conv, it.cid ORDER BY it.i) > 1 THEN 'batch_duplicate'
                  ELSE 'new' END AS status
      FROM it
      LEFT JOIN cv ON cv.id = it.conv
      -- LATERAL + LIMIT keeps this a unique-index probe per item even when
      -- table statistics are stale (a hash join would scan the company's messages).
      LEFT JOIN LATERAL (
        SELECT m.seq, m.sender, m.sender_id, m.sender_name, m.text, m.created_at, m.attachment FROM messages m
         WHERE m.company_id = c AND m.conversation_id = it.conv AND m.client_msg_id = it.cid LIMIT 1
      ) ex ON true
    ),
    fresh AS (
      SELECT j.*, (j.last_seq + row_number() OVER (PARTITION BY j.conv ORDER BY j.i))::integer AS new_seq
      FROM judged j WHERE j.status = 'new'
    ),
    ins AS (
      INSERT INTO messages (company_id, conversation_id, seq, sender, sender_id, sender_name, text, client_msg_id, attachment)
      SELECT c, f.conv, f.new_seq, f.sender, f.sid, f.sname, f.body, f.cid, f.att FROM fresh f
      RETURNING 1
    ),
    bump AS (
      UPDATE conversations cv
         SET last_seq = g.top,
             first_message = COALESCE(cv.first_message, g.first_visitor)
        FROM (SELECT f.conv, max(f.new_seq) AS top,
                     (array_agg(f.body ORDER BY f.i) FILTER (WHERE f.sender = 'visitor'))[1] AS first_visitor
                FROM fresh f GROUP BY f.conv) g
       WHERE cv.company_id = c AND cv.id = g.conv
      RETURNING 1
    )
    SELECT j.i, j.status,
           CASE j.status WHEN 'new' THEN f.new_seq WHEN 'duplicate' THEN j.ex_seq WHEN 'batch_duplicate' THEN f1.new_seq END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sender WHEN j.status = 'batch_duplicate' THEN f1.sender ELSE j.sender END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sid WHEN j.status = 'batch_duplicate' THEN f1.sid ELSE j.sid END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_sname WHEN j.status = 'batch_duplicate' THEN f1.sname ELSE j.sname END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_body WHEN j.status = 'batch_duplicate' THEN f1.body ELSE j.body END,
           j.cid,
           CASE WHEN j.status = 'duplicate' THEN j.ex_at ELSE now() END,
           CASE WHEN j.status = 'duplicate' THEN j.ex_att WHEN j.status = 'batch_duplicate' THEN f1.att ELSE j.att END
      FROM judged j
      LEFT JOIN fresh f ON f.i = j.i
      LEFT JOIN fresh f1 ON j.status = 'batch_duplicate' AND f1.conv = j.conv AND f1.cid = j.cid;
      -- ins and bump are not referenced: data-modifying CTEs always run to completion.
  END LOOP;
END $$;

-- Down Migration

-- v3 with the settings of 1764000010500 is what the migrations before this one
-- leave; v4 accepts the same input and returns the same rows, so it stays on the way down.
