SELECT
  code AS code,
  CAST(total AS VARCHAR(30)) AS total,
  entries AS entries
FROM dx_account_totals
ORDER BY code
