package io.riskloop.registry.search;

import io.riskloop.registry.RegistryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A WHERE clause being built from filter clauses: SQL text with positional arguments. Keys and values are always
 * arguments, never spliced into the SQL; only operators from a fixed set are.
 */
public final class SqlWhere {

    private static final Set<String> STRING_OPS = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");
    private static final Set<String> NUMBER_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    public SqlWhere and(String fragment, Object... fragmentArgs) {
        sql.append(sql.isEmpty() ? "" : " and ").append(fragment);
        args.addAll(List.of(fragmentArgs));
        return this;
    }

    /**
     * Adds {@code expression op value} for a string comparison, e.g. {@code r.name LIKE ?}.
     */
    public SqlWhere string(String expression, Clause c) {
        if (!STRING_OPS.contains(c.operator()) || c.isNumber()) {
            throw RegistryException.invalid("filter", "'" + describe(c) + "': " + c.key()
                    + " compares as a string, with =, !=, LIKE, ILIKE, IN or NOT IN and a quoted value");
        }
        return compare(expression, c);
    }

    /** Adds {@code expression op value} for a numeric comparison. */
    public SqlWhere number(String expression, Clause c) {
        if (!NUMBER_OPS.contains(c.operator()) || !c.isNumber()) {
            throw RegistryException.invalid("filter", "'" + describe(c) + "': " + c.key()
                    + " compares as a number, with =, !=, <, <=, > or >= and a number");
        }
        return compare(expression, c);
    }

    /** A comparison inside an EXISTS on a key-value table, e.g. params: the row with key = ? and value op ?. */
    public SqlWhere keyValue(String table, String owner, String ownerExpression, Clause c, boolean numeric) {
        SqlWhere inner = new SqlWhere();
        if (numeric) {
            inner.number("kv.value", c);
        } else {
            inner.string("kv.value", c);
        }
        sql.append(sql.isEmpty() ? "" : " and ").append("exists (select 1 from ").append(table).append(" kv where kv.")
                .append(owner).append(" = ").append(ownerExpression).append(" and kv.key = ? and ").append(inner.sql)
                .append(')');
        args.add(c.key());
        args.addAll(inner.args);
        return this;
    }

    private SqlWhere compare(String expression, Clause c) {
        String op = c.operator().equals("!=") ? "<>" : c.operator();
        if (c.isList()) {
            if (c.list().isEmpty()) {
                throw RegistryException.invalid("filter", "IN needs at least one value");
            }
            sql.append(sql.isEmpty() ? "" : " and ").append(expression).append(' ').append(op).append(" (")
                    .append("?, ".repeat(c.list().size() - 1)).append("?)");
            args.addAll(c.list());
        } else {
            sql.append(sql.isEmpty() ? "" : " and ").append(expression).append(' ').append(op).append(" ?");
            args.add(c.value());
        }
        return this;
    }

    public static RegistryException unknown(Clause c, String known) {
        return RegistryException.invalid("filter", "cannot search on " + c.entity() + "." + c.key()
                + ": searchable are " + known);
    }

    static String describe(Clause c) {
        return c.entity() + "." + c.key() + " " + c.operator() + " " + c.value();
    }

    /** " where ..." or "" */
    public String where() {
        return sql.isEmpty() ? "" : " where " + sql;
    }

    public String sql() {
        return sql.toString();
    }

    public List<Object> args() {
        return args;
    }
}
