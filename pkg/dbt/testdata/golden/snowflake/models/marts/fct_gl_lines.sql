-- transaction fact gl_lines joined to its dimensions
SELECT
  f.*,
  d1.ACCOUNTS_SK AS ACCOUNTS_SK,
  COALESCE(f.debit, 0) - COALESCE(f.credit, 0) AS AMOUNT
FROM {{ ref('stg_erp__gl_lines') }} AS f
  LEFT JOIN {{ ref('dim_accounts') }} AS d1
    ON f.account_code = d1.account_code
