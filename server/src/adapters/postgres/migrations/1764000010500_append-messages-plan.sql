-- Up Migration

-- append_messages runs once per group-commit batch and most batches hold a few
-- messages. Two planner choices made it cost about twice what its work needs:
-- * plpgsql kept choosing custom plans for the big CTE, i.e. planning it on every
--   call (pgbench, one message per call: 0.68 ms custom vs 0.32 ms generic). Every
--   probe in it is an index probe on ids, so the generic plan is the same plan.
-- * the generic plan probes messages(conversation_id, client_msg_id) for retried
--   copies with a bitmap scan, which builds a bitmap per item: 42 µs per probe, 40 %
--   of a 50-message batch (auto_explain). A plain index scan of that unique index
--   takes a few µs.
ALTER FUNCTION append_messages(jsonb) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION append_messages(jsonb) SET enable_bitmapscan = off;

-- Down Migration

ALTER FUNCTION append_messages(jsonb) RESET enable_bitmapscan;
ALTER FUNCTION append_messages(jsonb) RESET plan_cache_mode;
