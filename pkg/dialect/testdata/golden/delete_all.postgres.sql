DELETE FROM dx_gl_copy
