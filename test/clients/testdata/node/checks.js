// node-postgres against Junction: named prepared statements, $n where
// Junction wants a constant, and type parsing. Prints PASS name or
// FAIL name: message for each check.
'use strict';
const assert = require('assert');
const { Client } = require('pg');

const env = process.env;

async function main() {
  const client = new Client({
    host: env.JUNCTION_HOST, port: Number(env.JUNCTION_PORT), user: env.JUNCTION_USER,
    password: env.JUNCTION_PASSWORD, database: env.JUNCTION_DATABASE,
  });
  await client.connect();
  const q = (config) => client.query(config);
  const checks = {
    async named_statement() {
      const text = 'SELECT id, name FROM shop.customers WHERE id = $1';
      const a = await q({ name: 'customer_by_id', text, values: [1] });
      const b = await q({ name: 'customer_by_id', text, values: [2] });
      assert.deepStrictEqual([a.rows, b.rows], [[{ id: 1, name: 'Ann' }], [{ id: 2, name: 'Bob' }]]);
    },
    async limit_offset_param() {
      const r = await q({ name: 'page', text: 'SELECT id FROM shop.orders ORDER BY id LIMIT $1 OFFSET $2', values: [2, 1] });
      assert.deepStrictEqual(r.rows, [{ id: '11' }, { id: '12' }]);
    },
    async select_list_param() {
      const r = await q({ name: 'select_list', text: 'SELECT $1::int + 1 AS a, $2 AS b, upper($3) AS c', values: [1, 'x', 'y'] });
      assert.deepStrictEqual(r.rows, [{ a: 2, b: 'x', c: 'Y' }]);
      // PostgreSQL types an uncast $n in the select list as text.
      assert.deepStrictEqual(r.fields.map((f) => f.dataTypeID), [23, 25, 25]);
    },
    async function_arg_param() {
      const r = await q({
        name: 'function_args',
        text: "SELECT coalesce($1, 0) AS c, substr('abcdef', $2, $3) AS s, round(balance, $4) AS r FROM shop.customers WHERE id = 1",
        values: [3, 2, 3, 0],
      });
      assert.deepStrictEqual(r.rows, [{ c: 3, s: 'bcd', r: '11' }]);
    },
    async any_array_param() {
      const r = await q({ name: 'any_array', text: 'SELECT id FROM shop.orders WHERE id = ANY($1) ORDER BY id', values: [[10, 12]] });
      assert.deepStrictEqual(r.rows, [{ id: '10' }, { id: '12' }]);
    },
    async type_parsing() {
      const r = await q("SELECT o.id, o.placed, o.amount, c.created_at, c.balance, true AS t, 1.5::float8 AS f, NULL::int AS n " +
        'FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.id = 10');
      const row = r.rows[0];
      assert.strictEqual(row.id, '10'); // int8 is a string in node-postgres
      assert.ok(row.placed instanceof Date);
      assert.strictEqual(row.amount, '150.25');
      assert.strictEqual(row.created_at.toISOString(), '2024-01-02T03:04:05.000Z');
      assert.strictEqual(row.balance, '10.50');
      assert.deepStrictEqual([row.t, row.f, row.n], [true, 1.5, null]);
      assert.deepStrictEqual(r.fields.map((f) => f.dataTypeID), [20, 1082, 1700, 1184, 1700, 16, 701, 23]);
    },
    async error_then_query() {
      await assert.rejects(q({ name: 'bad', text: 'SELECT nope FROM shop.orders' }), (e) => e.code === '42703');
      const r = await q('SELECT count(*)::int AS n FROM shop.lines');
      assert.deepStrictEqual(r.rows, [{ n: 3 }]);
    },
  };
  for (const [name, fn] of Object.entries(checks)) {
    try {
      await fn();
      console.log('PASS ' + name);
    } catch (e) {
      console.log(`FAIL ${name}: ${String(e.message || e).replace(/\n/g, ' | ')}`);
    }
  }
  await client.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
