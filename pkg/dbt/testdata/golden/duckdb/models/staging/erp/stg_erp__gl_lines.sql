-- staging of gl_lines (model erp)
SELECT
  "s"."journal_id" AS "journal_id",
  "s"."line_no" AS "line_no",
  "s"."period" AS "period",
  "s"."account_code" AS "account_code",
  "s"."debit" AS "debit",
  "s"."credit" AS "credit"
FROM {{ source('erp', 'gl_lines') }} AS "s"
