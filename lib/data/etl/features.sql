-- Feature engineering for the customer-churn table of the raw zone.
--
-- One copy of the logic: the Glue job runs this file through Spark SQL over the temporary view
-- `raw_records`, and the tests run the very same file with DuckDB on test/data/fixtures.
-- So it is written in the dialect both engines share: CTEs, window and aggregate functions,
-- CASE, COALESCE, NULLIF, LEAST/GREATEST, SHA1, INSTR/SUBSTR. Engine-specific functions are
-- avoided on purpose (percentile_approx exists only in Spark, quantile_cont only in DuckDB,
-- sha2 only in Spark, sha256 only in DuckDB): quartiles and the median are computed as exact
-- nearest-rank percentiles with ROW_NUMBER and COUNT, which both engines evaluate identically.
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
  churned
FROM imputed
