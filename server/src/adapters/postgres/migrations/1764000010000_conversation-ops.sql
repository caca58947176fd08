-- Up Migration

-- conversation_ops: the conversation lifecycle writes (create, assign, requeue, end)
-- of many chats in ONE statement, for the lifecycle group committer
-- (adapters/postgres/lifecycle-commit.ts). Before, each was its own transaction
-- (BEGIN; set_config; SELECT … FOR UPDATE; UPDATE; INSERT assignment_log; COMMIT),
-- about six round trips on a pooled connection per write, three writes per chat.
--
-- p_batch: {"<company id>": [op, …], …}; every op has i (its index in the batch,
-- echoed back), k (create | assign | requeue | end) and conv (conversation id):
--   create:  vid, vname, gid, scope
--   assign:  agent, routed (bool: clears transfer_to), mode, status, load, cap, ascope, ticket, decision
--   requeue: routed, prev (routed: the agent in the log), reason, decision
--   end:     by, routed, decision
-- One row per op: o_status ok | noop (ending an ended chat) | not_found | ended |
-- no_company; o_at the creation time of a created conversation.
--
-- SECURITY INVOKER like append_messages: it runs as the app role, and
-- app.company_id is switched per company, so RLS still scopes every row (another
-- company's conversation is not_found). Ops of a company apply in batch order.
-- All conversations a company's ops touch are locked first in id order, as
-- append_messages does, so concurrent batches cannot deadlock.
CREATE FUNCTION conversation_ops(p_batch jsonb)
  RETURNS TABLE (o_i integer, o_status text, o_at timestamptz)
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  c text;
  items jsonb;
  op jsonb;
  ids text[];
  company_ok boolean;
  cur_state text;
  cur_agent text;
  t timestamptz;
BEGIN
  FOR c, items IN SELECT key, value FROM jsonb_each(p_batch) ORDER BY key LOOP
    PERFORM set_config('app.company_id', c, true);
    company_ok := NULL;
    ids := ARRAY(SELECT DISTINCT x->>'conv' FROM jsonb_array_elements(items) x WHERE x->>'k' <> 'create' ORDER BY 1);
    PERFORM 1 FROM unnest(ids) AS u(id)
      CROSS JOIN LATERAL (SELECT 1 FROM conversations cv WHERE cv.company_id = c AND cv.id = u.id FOR UPDATE) l;

    FOR op IN SELECT value FROM jsonb_array_elements(items) LOOP
      o_i := (op->>'i')::integer;
      o_at := NULL;
      -- Each op gets its own instant (now() is the batch's): creation order stays the arrival order.
      t := clock_timestamp();
      IF op->>'k' = 'create' THEN
        IF company_ok IS NULL THEN
          company_ok := EXISTS (SELECT 1 FROM companies WHERE id = c);
        END IF;
        IF NOT company_ok THEN
          o_status := 'no_company';
        ELSE
          INSERT INTO conversations (company_id, id, visitor_id, visitor_name, group_id, scope, created_at)
          VALUES (c, op->>'conv', op->>'vid', op->>'vname', op->>'gid', op->>'scope', t);
          o_status := 'ok';
          o_at := t;
        END IF;
        RETURN NEXT;
        CONTINUE;
      END IF;

      -- Every probe names the company and the id: that is the unique index
      -- (company_id, id), whatever the statistics say. By id alone, RLS adds
      -- company_id = current_setting(…), and when the statistics know only other
      -- companies (or most rows have ended, for a state condition) the planner walks
      -- all of the company's (or all open) conversations through another index per op.
      -- No state condition in a WHERE either (the partial index conversations_open).
      SELECT cv.state, cv.agent_id INTO cur_state, cur_agent FROM conversations cv WHERE cv.company_id = c AND cv.id = op->>'conv';
      IF NOT FOUND THEN
        o_status := 'not_found';
      ELSIF cur_state = 'ended' THEN
        o_status := CASE WHEN op->>'k' = 'end' THEN 'noop' ELSE 'ended' END;
      ELSE
        o_status := 'ok';
        CASE op->>'k'
        WHEN 'assign' THEN
          UPDATE conversations cv
             SET state = 'active', agent_id = op->>'agent', assigned_at = t,
                 transfer_to = CASE WHEN (op->>'routed')::boolean THEN NULL ELSE cv.transfer_to END
           WHERE cv.company_id = c AND cv.id = op->>'conv';
          INSERT INTO assignment_log (company_id, conversation_id, agent_id, event, at, mode, status, load, cap, scope, ticket, decision)
          VALUES (c, op->>'conv', op->>'agent', 'assigned', t, op->>'mode', op->>'status', (op->>'load')::integer,
                  (op->>'cap')::integer, op->>'ascope', (op->>'ticket')::integer, (op->>'decision')::bigint);
        WHEN 'requeue' THEN
          UPDATE conversations cv
             SET state = 'queued', agent_id = NULL, assigned_at = NULL,
                 transfer_to = CASE WHEN (op->>'routed')::boolean THEN NULL ELSE cv.transfer_to END
           WHERE cv.company_id = c AND cv.id = op->>'conv';
          INSERT INTO assignment_log (company_id, conversation_id, agent_id, event, at, reason, decision)
          VALUES (c, op->>'conv', CASE WHEN (op->>'routed')::boolean THEN op->>'prev' ELSE cur_agent END, 'requeued', t,
                  op->>'reason', (op->>'decision')::bigint);
        WHEN 'end' THEN
          UPDATE conversations cv
             SET state = 'ended', ended_at = t, ended_by = op->>'by',
                 transfer_to = CASE WHEN (op->>'routed')::boolean THEN NULL ELSE cv.transfer_to END
           WHERE cv.company_id = c AND cv.id = op->>'conv';
          INSERT INTO assignment_log (company_id, conversation_id, agent_id, event, at, decision)
          VALUES (c, op->>'conv', cur_agent, 'ended', t, (op->>'decision')::bigint);
        ELSE
          RAISE EXCEPTION 'conversation_ops: unknown op kind %', op->>'k';
        END CASE;
      END IF;
      RETURN NEXT;
    END LOOP;
  END LOOP;
END $$;
-- Every statement in it is a primary-key probe or a single-row write: the generic
-- plan is the right one, and replanning per call is what a small batch would pay.
ALTER FUNCTION conversation_ops(jsonb) SET plan_cache_mode = force_generic_plan;
REVOKE EXECUTE ON FUNCTION conversation_ops(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION conversation_ops(jsonb) TO switchboard_app;

-- Down Migration

DROP FUNCTION IF EXISTS conversation_ops(jsonb);
