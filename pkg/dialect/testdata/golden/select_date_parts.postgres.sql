SELECT
  g.id AS id,
  EXTRACT(YEAR FROM g.posted) AS y,
  EXTRACT(MONTH FROM g.posted) AS m,
  EXTRACT(DAY FROM g.posted) AS d,
  EXTRACT(MONTH FROM g.created_at) AS created_m
FROM dx_gl AS g
WHERE EXTRACT(MONTH FROM g.posted) > 1
ORDER BY g.id
