"""SQLAlchemy's inspect() against Junction: the reflection a BI tool or an
ORM user does on connect."""

import sqlalchemy as sa

from checks import dsn_parts, expect, run

p = dsn_parts()
engine = sa.create_engine("postgresql+psycopg2://%(user)s:%(password)s@%(host)s:%(port)s/%(dbname)s" % p)
insp = sa.inspect(engine)


def schemas():
    names = insp.get_schema_names()
    for want in ("shop", "public", "information_schema"):
        if want not in names:
            raise AssertionError("schema %s missing from %r" % (want, names))


def tables():
    expect(sorted(insp.get_table_names(schema="shop")), ["customers", "lines", "orders"])


def views():
    expect(insp.get_view_names(schema="shop"), ["big_orders"])
    expect(insp.get_view_names(schema="public"), ["customer_totals"])


def view_definition():
    d = insp.get_view_definition("customer_totals", schema="public")
    if not d or "sum(o.amount)" not in d:
        raise AssertionError("view definition %r does not show the view's query" % d)


def columns():
    cols = [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns("customers", schema="shop")]
    expect(cols, [("id", "INTEGER", False), ("name", "TEXT", False), ("email", "VARCHAR(100)", True),
                  ("created_at", "TIMESTAMP", True), ("balance", "NUMERIC(10, 2)", True)])


def primary_key():
    expect(insp.get_pk_constraint("lines", schema="shop")["constrained_columns"], ["order_id", "line_no"])


def foreign_keys():
    fks = [(f["constrained_columns"], f["referred_schema"], f["referred_table"], f["referred_columns"])
           for f in insp.get_foreign_keys("orders", schema="shop")]
    expect(fks, [(["customer_id"], "shop", "customers", ["id"])])


def indexes():
    idx = [(i["name"], i["column_names"], i["unique"]) for i in insp.get_indexes("orders", schema="shop")]
    expect(idx, [("orders_placed_idx", ["placed", "customer_id"], False)])


def unique_constraints():
    u = [(c["name"], c["column_names"]) for c in insp.get_unique_constraints("customers", schema="shop")]
    expect(u, [("customers_email_key", ["email"])])


def table_comment():
    expect(insp.get_table_comment("customers", schema="shop")["text"], "people who buy")


def reflect_metadata():
    md = sa.MetaData()
    t = sa.Table("orders", md, autoload_with=engine, schema="shop")
    with engine.connect() as c:
        expect(c.execute(sa.select(sa.func.count()).select_from(t)).scalar(), 3)


run([("schemas", schemas), ("tables", tables), ("views", views), ("view_definition", view_definition),
     ("columns", columns), ("primary_key", primary_key), ("foreign_keys", foreign_keys), ("indexes", indexes),
     ("unique_constraints", unique_constraints), ("table_comment", table_comment),
     ("reflect_metadata", reflect_metadata)])
