GRANT SELECT ON VIEW finance.mart.account_totals TO ROLE "Reporting Readers"
