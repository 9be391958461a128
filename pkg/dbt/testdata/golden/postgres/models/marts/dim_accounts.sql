-- dimension accounts (chart_of_accounts) with surrogate key ACCOUNTS_SK
SELECT
  ROW_NUMBER() OVER (ORDER BY s.account_code) AS ACCOUNTS_SK,
  s.*
FROM {{ ref('stg_erp__accounts') }} AS s
