GRANT SELECT ON OBJECT::[mart].[dx_gl] TO [analyst]
