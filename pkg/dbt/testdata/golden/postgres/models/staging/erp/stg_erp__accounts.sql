-- staging of accounts (model erp)
SELECT
  s.account_code AS account_code,
  s.account_name AS account_name
FROM {{ source('erp', 'accounts') }} AS s
