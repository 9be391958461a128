DELETE FROM `dx_gl`
WHERE `Amount` < NUMERIC '-10.5' OR `Memo "quoted"` LIKE '%北'
