"""psycopg 3 against Junction: server-side binding, type parsing, named
cursors, COPY and pipeline mode."""

import datetime
import decimal

import psycopg

from checks import dsn, expect, run

conn = psycopg.connect(dsn())


def basic():
    # psycopg 3 binds parameters server-side: $1 reaches Junction.
    rows = conn.execute("SELECT id, name FROM shop.customers WHERE id = %s", (2,)).fetchall()
    expect(rows, [(2, "Bob")])
    conn.rollback()


def types():
    row = conn.execute("SELECT created_at, balance, placed, amount FROM shop.customers c "
                       "JOIN shop.orders o ON o.customer_id = c.id WHERE o.id = %s", (10,)).fetchone()
    expect(row, (datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), decimal.Decimal("10.50"),
                 datetime.date(2024, 2, 1), decimal.Decimal("150.25")))
    conn.rollback()


def typed_params():
    row = conn.execute("SELECT %s::int + 1, %s || 'b', %s::date + 1, %s::numeric * 2",
                       (41, "a", datetime.date(2024, 1, 31), decimal.Decimal("1.25"))).fetchone()
    expect(row, (42, "ab", datetime.date(2024, 2, 1), decimal.Decimal("2.50")))
    conn.rollback()


def limit_param():
    rows = conn.execute("SELECT id FROM shop.orders ORDER BY id LIMIT %s OFFSET %s", (1, 1)).fetchall()
    expect(rows, [(11,)])
    conn.rollback()


def binary():
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT id, balance, created_at FROM shop.customers WHERE id = %s", (1,))
        expect(cur.fetchone(), (1, decimal.Decimal("10.50"), datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)))
    conn.rollback()


def named_cursor():
    with conn.cursor(name="orders_cursor") as cur:
        cur.itersize = 2
        cur.execute("SELECT id FROM shop.orders ORDER BY id")
        expect([r[0] for r in cur], [10, 11, 12])
    conn.rollback()


def copy_to():
    with conn.cursor() as cur:
        with cur.copy("COPY (SELECT id, name FROM shop.customers ORDER BY id) TO STDOUT") as copy:
            copy.set_types(["int4", "text"])
            expect(list(copy.rows()), [(1, "Ann"), (2, "Bob")])
    conn.rollback()


def pipeline():
    with conn.pipeline():
        a = conn.execute("SELECT count(*) FROM shop.orders")
        b = conn.execute("SELECT name FROM shop.customers WHERE id = %s", (1,))
    expect((a.fetchall(), b.fetchall()), ([(3,)], [("Ann",)]))
    conn.rollback()


run([("basic", basic), ("types", types), ("typed_params", typed_params), ("limit_param", limit_param),
     ("binary", binary), ("named_cursor", named_cursor), ("copy_to", copy_to), ("pipeline", pipeline)],
    after_failure=conn.rollback)
