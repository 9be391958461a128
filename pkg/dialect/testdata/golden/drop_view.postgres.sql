DROP VIEW IF EXISTS dx_account_totals
