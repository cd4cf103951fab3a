import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * pgjdbc against Junction: DatabaseMetaData as JDBC tools (DBeaver,
 * Metabase) browse with it, ResultSetMetaData, and fetch size with
 * autocommit off. Prints PASS name or FAIL name: message for each check.
 */
public class ClientChecks {
    interface Check {
        void run() throws Exception;
    }

    static Connection conn;

    static void expect(Object got, Object want, String what) {
        if (!Objects.equals(got, want)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }

    /** rows reads the named columns of every row as strings. */
    static List<List<String>> rows(ResultSet rs, String... cols) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (String c : cols) {
                    row.add(rs.getString(c));
                }
                out.add(row);
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String url = "jdbc:postgresql://" + env.get("JUNCTION_HOST") + ":" + env.get("JUNCTION_PORT") + "/" + env.get("JUNCTION_DATABASE");
        conn = DriverManager.getConnection(url, env.get("JUNCTION_USER"), env.get("JUNCTION_PASSWORD"));
        DatabaseMetaData md = conn.getMetaData();
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("getSchemas", () -> {
            List<List<String>> got = rows(md.getSchemas(), "TABLE_SCHEM");
            if (!got.contains(List.of("shop"))) {
                throw new AssertionError("schema shop missing from " + got);
            }
        });
        checks.put("getTables", () -> expect(
            rows(md.getTables(null, "shop", "%", new String[] {"TABLE", "VIEW"}), "TABLE_NAME", "TABLE_TYPE", "REMARKS"),
            List.of(row("customers", "TABLE", "people who buy"), row("lines", "TABLE", null), row("orders", "TABLE", null),
                row("big_orders", "VIEW", null)), "tables"));
        checks.put("getColumns", () -> expect(
            rows(md.getColumns(null, "shop", "customers", "%"), "COLUMN_NAME", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "IS_NULLABLE", "REMARKS"),
            List.of(row("id", "int4", "10", "0", "NO", null), row("name", "text", "2147483647", "0", "NO", "full name"),
                row("email", "varchar", "100", "0", "YES", null), row("created_at", "timestamptz", "35", "6", "YES", null),
                row("balance", "numeric", "10", "2", "YES", null)), "columns"));
        checks.put("getPrimaryKeys", () -> expect(
            rows(md.getPrimaryKeys(null, "shop", "lines"), "COLUMN_NAME", "KEY_SEQ", "PK_NAME"),
            List.of(List.of("order_id", "1", "lines_pkey"), List.of("line_no", "2", "lines_pkey")), "primary key"));
        checks.put("getImportedKeys", () -> expect(
            rows(md.getImportedKeys(null, "shop", "lines"), "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKCOLUMN_NAME", "FK_NAME", "DELETE_RULE"),
            List.of(List.of("shop", "orders", "id", "order_id", "lines_order_fk", String.valueOf(DatabaseMetaData.importedKeyCascade))), "imported keys"));
        checks.put("getExportedKeys", () -> expect(
            rows(md.getExportedKeys(null, "shop", "customers"), "FKTABLE_NAME", "FKCOLUMN_NAME"),
            List.of(List.of("orders", "customer_id")), "exported keys"));
        checks.put("getIndexInfo", () -> expect(
            rows(md.getIndexInfo(null, "shop", "orders", false, false), "INDEX_NAME", "NON_UNIQUE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC"),
            List.of(List.of("orders_pkey", "f", "1", "id", "A"), List.of("orders_placed_idx", "t", "1", "placed", "D"),
                    List.of("orders_placed_idx", "t", "2", "customer_id", "A")), "indexes"));
        checks.put("ResultSetMetaData", () -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name, balance FROM shop.customers")) {
                ResultSetMetaData m = rs.getMetaData();
                List<String> got = new ArrayList<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    got.add(m.getColumnName(i) + " " + m.getColumnTypeName(i) + " " + m.getTableName(i) + " nullable=" + m.isNullable(i)
                        + " precision=" + m.getPrecision(i) + " scale=" + m.getScale(i));
                }
                expect(got, List.of("id int4 customers nullable=0 precision=10 scale=0", "name text customers nullable=0 precision=2147483647 scale=0",
                    "balance numeric customers nullable=1 precision=10 scale=2"), "result set metadata");
            }
        });
        checks.put("columnSizes", () -> {
            // Precision, scale and display size come from the typmods of the RowDescription.
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT email, created_at, name::char(5) AS code, created_at::timestamp(3) AS seen, created_at::timestamptz(0) AS tz0,"
                    + " balance * 2 AS doubled FROM shop.customers")) {
                ResultSetMetaData m = rs.getMetaData();
                List<String> got = new ArrayList<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    got.add(m.getColumnName(i) + " " + m.getColumnTypeName(i) + " precision=" + m.getPrecision(i)
                        + " scale=" + m.getScale(i) + " size=" + m.getColumnDisplaySize(i));
                }
                expect(got, List.of("email varchar precision=100 scale=0 size=100", "created_at timestamptz precision=35 scale=6 size=35",
                    "code bpchar precision=5 scale=0 size=5", "seen timestamp precision=26 scale=3 size=26",
                    "tz0 timestamptz precision=28 scale=0 size=28", "doubled numeric precision=0 scale=0 size=131089"), "column sizes");
            }
        });
        checks.put("preparedStatement", () -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM shop.customers WHERE id = ? LIMIT ?")) {
                List<String> got = new ArrayList<>();
                // The fifth execution switches pgjdbc to a named server-side statement.
                for (int i = 0; i < 6; i++) {
                    ps.setInt(1, 1 + i % 2);
                    ps.setInt(2, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        got.add(rs.getString(1));
                    }
                }
                expect(got, List.of("Ann", "Bob", "Ann", "Bob", "Ann", "Bob"), "names");
            }
        });
        checks.put("fetchSize", () -> {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.setFetchSize(1);
                expect(rows(st.executeQuery("SELECT id FROM shop.orders ORDER BY id"), "id"), List.of(List.of("10"), List.of("11"), List.of("12")), "ids");
            } finally {
                conn.rollback();
                conn.setAutoCommit(true);
            }
        });
        for (Map.Entry<String, Check> c : checks.entrySet()) {
            try {
                c.getValue().run();
                System.out.println("PASS " + c.getKey());
            } catch (Exception | AssertionError e) {
                System.out.println("FAIL " + c.getKey() + ": " + String.valueOf(e.getMessage()).replace("\n", " | "));
                if (!conn.getAutoCommit()) {
                    conn.rollback();
                }
            }
        }
        conn.close();
    }

    /** row is one expected row; unlike List.of it may hold nulls. */
    static List<String> row(String... values) {
        return Arrays.asList(values);
    }
}
