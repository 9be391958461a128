GRANT `roles/bigquery.dataViewer` ON VIEW `finance`.`mart`.`account_totals` TO 'Reporting Readers'
