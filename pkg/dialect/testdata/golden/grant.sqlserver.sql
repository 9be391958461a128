GRANT SELECT ON OBJECT::[finance].[mart].[account_totals] TO [Reporting Readers]
