{#-
  The combination of columns is unique (NULLs compare equal, as in GROUP BY).
  Usage: data_tests: [{databridge_unique_combination: {columns: [A, B]}}]
-#}
{% test databridge_unique_combination(model, columns) %}
select
    {% for c in columns %}{{ adapter.quote(c) }}, {% endfor %}count(*) as n_rows
from {{ model }}
group by {% for c in columns %}{{ adapter.quote(c) }}{% if not loop.last %}, {% endif %}{% endfor %}
having count(*) > 1
{% endtest %}
