SELECT
  id AS id,
  "Memo ""quoted""" AS memo,
  LENGTH("Memo ""quoted""") AS len
FROM dx_gl
ORDER BY id
