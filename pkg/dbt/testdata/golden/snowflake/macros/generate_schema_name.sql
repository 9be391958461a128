{#-
  Schemas: a model without a custom schema goes to the target's schema; a
  custom schema (+schema) is used as written, not prefixed with the target's.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
