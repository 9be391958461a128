SELECT
  id AS id,
  CAST(amount AS VARCHAR(30)) AS amount
FROM dx_gl_copy
WHERE copied
ORDER BY id
