GRANT SELECT ON finance.mart.account_totals TO "Reporting Readers"
