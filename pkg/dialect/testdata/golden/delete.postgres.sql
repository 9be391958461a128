DELETE FROM dx_gl
WHERE "Amount" < -10.5 OR "Memo ""quoted""" LIKE '%北'
