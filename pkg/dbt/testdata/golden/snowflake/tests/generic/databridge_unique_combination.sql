{#-
  The combination of columns is unique (NULLs compare equal, as in GROUP BY).
  Columns are given as the SQL writes them (quoted where the engine needs it).
  Usage: data_tests: [{databridge_unique_combination: {columns: [a, b]}}]
-#}
{% test databridge_unique_combination(model, columns) %}
select
    {% for c in columns %}{{ c }}, {% endfor %}count(*) as n_rows
from {{ model }}
group by {% for c in columns %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
having count(*) > 1
{% endtest %}
