GRANT SELECT ON TABLE mart.dx_gl TO ROLE analyst
