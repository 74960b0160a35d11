"""Quoted table and column names from a model's metadata, for the few statements written once
as SQL on hot paths (`institute.api_auth`, `courses.selectors`): names come from here, values
are always parameters."""


def table_name(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column_name(connection, model, name: str = "pk") -> str:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return connection.ops.quote_name(field.column)
