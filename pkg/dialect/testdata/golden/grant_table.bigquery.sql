GRANT `roles/bigquery.dataViewer` ON TABLE `mart`.`dx_gl` TO 'analyst'
