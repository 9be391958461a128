GRANT SELECT ON TABLE `finance`.`mart`.`account_totals` TO `Reporting Readers`
