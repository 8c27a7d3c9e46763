-- Feature engineering for the lab's churn model: the customer table of the raw zone joined with
-- per-customer activity from the clickstream.
--
-- Inputs (temporary views): `raw_records`, the customer CSV (every column as text, several versions
-- per customer), and `clickstream`, the events Firehose delivered (user_id = customer_id,
-- event_type, session_id, event_time as ISO 8601 UTC text).
--
-- One copy of the logic: the Glue job runs this file through Spark SQL, and the tests run the very
-- same file with DuckDB on generated data. So it is written in the dialect both engines share: CTEs,
-- window and aggregate functions, CASE, COALESCE, NULLIF, LEAST/GREATEST, SHA1, INSTR/SUBSTR,
-- YEAR/DAYOFYEAR, FLOOR. Engine-specific functions are avoided on purpose:
-- - percentiles: percentile_approx exists only in Spark, quantile_cont only in DuckDB, so quartiles
--   and the median are exact nearest-rank percentiles with ROW_NUMBER and COUNT;
-- - hashing: sha2 exists only in Spark, sha256 only in DuckDB, and hash() differs between them, so
--   PII and the split use SHA1, the one SHA both name the same way; its first three hex digits become
--   a number 0..4095 through INSTR('0123456789abcdef', digit) - 1, the same on both engines;
-- - dates: datediff, date_diff and epoch functions differ, so a day is numbered from its YEAR and
--   DAYOFYEAR (days since 0001-01-01, proleptic Gregorian), which both compute the same way. Spark
--   must run with spark.sql.session.timeZone=UTC (the Glue script sets it), as DuckDB does.
-- Integer results are CAST to INT: DuckDB sums integers into HUGEINT, Spark into BIGINT.
-- No trailing semicolon: Spark's sql() takes a single statement.
WITH typed AS (
  -- Every column is read as text (Spark CSV without schema inference, DuckDB all_varchar), so
  -- typing, trimming and empty-string-as-missing happen here, the same way on both engines.
  SELECT
    CAST(NULLIF(TRIM(CAST(customer_id AS STRING)), '') AS BIGINT) AS customer_id,
    CAST(NULLIF(TRIM(CAST(updated_at AS STRING)), '') AS TIMESTAMP) AS updated_at,
    LOWER(NULLIF(TRIM(CAST(email AS STRING)), '')) AS email,
    CAST(NULLIF(TRIM(CAST(age AS STRING)), '') AS DOUBLE) AS age,
    CAST(NULLIF(TRIM(CAST(income AS STRING)), '') AS DOUBLE) AS income,
    LOWER(NULLIF(TRIM(CAST(plan AS STRING)), '')) AS plan,
    LOWER(NULLIF(TRIM(CAST(country AS STRING)), '')) AS country,
    CAST(NULLIF(TRIM(CAST(tenure_months AS STRING)), '') AS INT) AS tenure_months,
    CAST(NULLIF(TRIM(CAST(churned AS STRING)), '') AS INT) AS churned
  FROM raw_records
),

-- 1. Deduplicate: keep the latest version of each customer.
versions AS (
  SELECT typed.*, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) AS version_rank
  FROM typed
  WHERE customer_id IS NOT NULL
),
latest AS (
  SELECT customer_id, updated_at, email, age, income, plan, country, tenure_months, churned
  FROM versions
  WHERE version_rank = 1
),

-- Statistics come from the deduplicated rows, so a customer with many stale versions does not
-- weigh more than one with a single version.
age_stats AS (
  SELECT AVG(age) AS age_mean FROM latest
),
income_positions AS (
  SELECT income, ROW_NUMBER() OVER (ORDER BY income) AS income_rank, COUNT(*) OVER () AS n
  FROM latest
  WHERE income IS NOT NULL
),
income_stats AS (
  -- Nearest-rank percentile p: the value at rank ceil(p * n) of the sorted non-missing values.
  SELECT
    MAX(CASE WHEN income_rank = CEIL(0.25 * n) THEN income END) AS q1,
    MAX(CASE WHEN income_rank = CEIL(0.50 * n) THEN income END) AS median,
    MAX(CASE WHEN income_rank = CEIL(0.75 * n) THEN income END) AS q3
  FROM income_positions
),
income_fences AS (
  SELECT median AS income_median, q1 - 1.5 * (q3 - q1) AS income_low, q3 + 1.5 * (q3 - q1) AS income_high
  FROM income_stats
),
plan_counts AS (
  SELECT plan, COUNT(*) AS n FROM latest WHERE plan IS NOT NULL GROUP BY plan
),
plan_mode AS (
  -- Ties broken alphabetically, so the mode is deterministic.
  SELECT plan AS plan_mode
  FROM (SELECT plan, ROW_NUMBER() OVER (ORDER BY n DESC, plan) AS r FROM plan_counts) ranked_plans
  WHERE r = 1
),

-- 2. Impute: age with the mean, income with the median, plan with the mode, country with 'unknown'.
-- 3. Cap outliers: income clipped to the IQR fences (Q1 - 1.5 IQR, Q3 + 1.5 IQR).
imputed AS (
  SELECT
    l.customer_id,
    l.updated_at,
    l.email,
    COALESCE(l.age, s.age_mean) AS age,
    CASE WHEN l.age IS NULL THEN 1 ELSE 0 END AS age_was_missing,
    LEAST(GREATEST(COALESCE(l.income, f.income_median), f.income_low), f.income_high) AS income,
    CASE WHEN l.income IS NULL THEN 1 ELSE 0 END AS income_was_missing,
    CASE WHEN l.income < f.income_low OR l.income > f.income_high THEN 1 ELSE 0 END AS income_was_capped,
    COALESCE(l.plan, m.plan_mode) AS plan,
    COALESCE(l.country, 'unknown') AS country,
    l.tenure_months,
    l.churned
  FROM latest l
  CROSS JOIN age_stats s
  CROSS JOIN income_fences f
  CROSS JOIN plan_mode m
),

-- 8. Activity from the clickstream, over the 30 days that end on the latest event's day (the
-- snapshot). Customers without a visit in the window get zeros and 30 days since the last visit.
events AS (
  SELECT
    CAST(NULLIF(TRIM(CAST(user_id AS STRING)), '') AS BIGINT) AS customer_id,
    LOWER(TRIM(CAST(event_type AS STRING))) AS event_type,
    CAST(session_id AS STRING) AS session_id,
    CAST(NULLIF(TRIM(CAST(event_time AS STRING)), '') AS TIMESTAMP) AS event_time
  FROM clickstream
),
event_days AS (
  SELECT
    customer_id, event_type, session_id,
    365 * (YEAR(event_time) - 1) + FLOOR((YEAR(event_time) - 1) / 4) - FLOOR((YEAR(event_time) - 1) / 100)
      + FLOOR((YEAR(event_time) - 1) / 400) + DAYOFYEAR(event_time) AS event_day
  FROM events
  WHERE customer_id IS NOT NULL AND event_time IS NOT NULL
),
snapshot AS (
  SELECT MAX(event_day) AS snapshot_day FROM event_days
),
activity AS (
  SELECT
    d.customer_id,
    CAST(COUNT(DISTINCT d.session_id) AS INT) AS sessions,
    CAST(SUM(CASE WHEN d.event_type = 'page_view' THEN 1 ELSE 0 END) AS INT) AS page_views,
    CAST(SUM(CASE WHEN d.event_type = 'add_to_cart' THEN 1 ELSE 0 END) AS INT) AS cart_adds,
    CAST(SUM(CASE WHEN d.event_type = 'purchase' THEN 1 ELSE 0 END) AS INT) AS purchases,
    CAST(MAX(s.snapshot_day) - MAX(d.event_day) AS INT) AS days_since_last_visit
  FROM event_days d
  CROSS JOIN snapshot s
  WHERE d.event_day > s.snapshot_day - 30
  GROUP BY d.customer_id
),

-- 9. The split: a hash of the customer id, so a customer is in exactly one of train (70 %),
-- validation (15 %) and test (15 %), whatever the run. 2867/4096 = 70.0 %, 3482/4096 = 85.0 %.
hashed AS (
  SELECT customer_id, SHA1(CAST(customer_id AS STRING)) AS id_hash FROM imputed
),
split_buckets AS (
  SELECT
    customer_id,
    (INSTR('0123456789abcdef', SUBSTR(id_hash, 1, 1)) - 1) * 256
      + (INSTR('0123456789abcdef', SUBSTR(id_hash, 2, 1)) - 1) * 16
      + (INSTR('0123456789abcdef', SUBSTR(id_hash, 3, 1)) - 1) AS split_bucket
  FROM hashed
),

joined AS (
  SELECT
    i.*,
    COALESCE(a.sessions, 0) AS sessions,
    COALESCE(a.page_views, 0) AS page_views,
    COALESCE(a.cart_adds, 0) AS cart_adds,
    COALESCE(a.purchases, 0) AS purchases,
    COALESCE(a.days_since_last_visit, 30) AS days_since_last_visit,
    b.split_bucket
  FROM imputed i
  LEFT JOIN activity a ON a.customer_id = i.customer_id
  JOIN split_buckets b ON b.customer_id = i.customer_id
)

SELECT
  customer_id,
  updated_at,
  -- 4. PII: the address itself never leaves this query; a hash keeps it joinable, the domain
  -- keeps a coarse signal. SHA1 because it is the only SHA both engines name the same way.
  SHA1(email) AS email_hash,
  CASE WHEN INSTR(email, '@') > 0 THEN SUBSTR(email, INSTR(email, '@') + 1) END AS email_domain,
  age,
  age_was_missing,
  -- 5. Bucket a continuous variable.
  CASE
    WHEN age < 25 THEN '18-24'
    WHEN age < 35 THEN '25-34'
    WHEN age < 50 THEN '35-49'
    WHEN age < 65 THEN '50-64'
    ELSE '65+'
  END AS age_band,
  -- 6. Scale: z-score for age, min-max to [0, 1] for the capped income.
  (age - AVG(age) OVER ()) / NULLIF(STDDEV_SAMP(age) OVER (), 0) AS age_zscore,
  income,
  income_was_missing,
  income_was_capped,
  (income - MIN(income) OVER ()) / NULLIF(MAX(income) OVER () - MIN(income) OVER (), 0) AS income_scaled,
  -- 7. One-hot encode the plan.
  plan,
  CASE WHEN plan = 'basic' THEN 1 ELSE 0 END AS plan_basic,
  CASE WHEN plan = 'standard' THEN 1 ELSE 0 END AS plan_standard,
  CASE WHEN plan = 'premium' THEN 1 ELSE 0 END AS plan_premium,
  country,
  tenure_months,
  sessions,
  page_views,
  cart_adds,
  purchases,
  days_since_last_visit,
  CASE WHEN split_bucket < 2867 THEN 'train' WHEN split_bucket < 3482 THEN 'validation' ELSE 'test' END AS split,
  churned
FROM joined
