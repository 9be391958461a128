GRANT SELECT ON mart.dx_gl TO analyst
