// I5 exit pages and time on page, derived at query time: a page's time is the gap
// to the next view in its visit; the last page is the exit and its time runs to
// the visit's ended_at (heartbeats keep visits.ended_at current). A parameterized
// view, so callers cannot forget the company filter:
//   SELECT ... FROM page_views_timed(company_id = {c:String}, from = ..., to = ...)
// Views near `to` whose next view falls after it count as exits; pad `to` when exactness at the edge matters.
import type { Migration } from './index.js';

export const migration: Migration = {
  version: 3,
  name: 'page_views_timed',
  statements: [
    `CREATE VIEW IF NOT EXISTS page_views_timed AS
    SELECT
      pv.*,
      toUInt8(isNull(pv.next_ts)) AS is_exit,
      if(isNull(pv.next_ts),
         if(v.ended_at > pv.ts, toUInt64(dateDiff('millisecond', pv.ts, v.ended_at)), toUInt64(0)),
         toUInt64(dateDiff('millisecond', pv.ts, assumeNotNull(pv.next_ts)))) AS time_on_page_ms
    FROM (
      SELECT *,
        leadInFrame(toNullable(ts)) OVER (PARTITION BY visit_id ORDER BY ts
          ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_ts
      FROM page_views
      WHERE company_id = {company_id:String}
        AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
    ) AS pv
    LEFT JOIN (
      -- ended_at only grows across versions of a visit, so max() needs no FINAL.
      SELECT visit_id, max(ended_at) AS ended_at
      FROM visits
      WHERE company_id = {company_id:String}
        AND started_at >= {from:DateTime64(3, 'UTC')} - INTERVAL 1 DAY
        AND started_at < {to:DateTime64(3, 'UTC')}
      GROUP BY visit_id
    ) AS v ON v.visit_id = pv.visit_id`,
  ],
};
