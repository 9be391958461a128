-- Staging of raw.gl_transactions: the columns the warehouse uses, renamed and cast only.
SELECT
  s.account_code AS account_code,
  s.period AS period,
  s.entity AS entity,
  s.amount AS amount
FROM {{ source('raw', 'gl_transactions') }} AS s
