"""psycopg2 against Junction: queries, type parsing, named cursors, COPY."""

import datetime
import decimal
import io

import psycopg2
import psycopg2.extras

from checks import dsn, expect, run

conn = psycopg2.connect(dsn())


def basic():
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM shop.customers WHERE id = %s", (1,))
    expect(cur.fetchall(), [(1, "Ann")])
    expect([d.name for d in cur.description], ["id", "name"], "column names")
    conn.rollback()


def types():
    cur = conn.cursor()
    cur.execute("SELECT id, created_at, balance, NULL::text, true, 1.5::float8, DATE '2024-02-01', INTERVAL '1 day 2 hours' "
                "FROM shop.customers WHERE id = 1")
    expect(cur.fetchone(), (1, datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
                            decimal.Decimal("10.50"), None, True, 1.5, datetime.date(2024, 2, 1),
                            datetime.timedelta(days=1, hours=2)))
    conn.rollback()


def params():
    cur = conn.cursor()
    cur.execute("SELECT id FROM shop.orders WHERE placed >= %s AND amount > %s ORDER BY id LIMIT %s",
                (datetime.date(2024, 2, 1), decimal.Decimal("10"), 2))
    expect(cur.fetchall(), [(10,), (11,)])
    conn.rollback()


def dict_cursor():
    cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    cur.execute("SELECT o.id, c.name FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id ORDER BY o.id")
    expect([dict(r) for r in cur.fetchall()], [{"id": 10, "name": "Ann"}, {"id": 11, "name": "Bob"}, {"id": 12, "name": "Ann"}])
    conn.rollback()


def named_cursor():
    cur = conn.cursor("orders_cursor")
    cur.itersize = 2
    cur.execute("SELECT id FROM shop.orders ORDER BY id")
    expect([r[0] for r in cur], [10, 11, 12])
    cur.close()
    conn.rollback()


def copy_to():
    cur = conn.cursor()
    buf = io.StringIO()
    cur.copy_expert("COPY (SELECT id, name, email FROM shop.customers ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", buf)
    expect(buf.getvalue(), "id,name,email\n1,Ann,ann@example.org\n2,Bob,\n")
    conn.rollback()


def error_recovers():
    cur = conn.cursor()
    try:
        cur.execute("SELECT no_such_column FROM shop.customers")
        raise AssertionError("no error")
    except psycopg2.errors.UndefinedColumn:
        pass
    conn.rollback()
    cur.execute("SELECT 1")
    expect(cur.fetchone(), (1,))
    conn.rollback()


run([("basic", basic), ("types", types), ("params", params), ("dict_cursor", dict_cursor),
     ("named_cursor", named_cursor), ("copy_to", copy_to), ("error_recovers", error_recovers)],
    after_failure=conn.rollback)
