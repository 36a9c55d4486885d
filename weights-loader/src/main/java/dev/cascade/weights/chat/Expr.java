package dev.cascade.weights.chat;

import java.util.List;

/** Expression nodes. {@code at} is the source offset, for error positions. */
sealed interface Expr {
    int at();

    record Literal(int at, Object value) implements Expr {
    }

    record Name(int at, String name) implements Expr {
    }

    record ListLiteral(int at, List<Expr> items) implements Expr {
    }

    record TupleLiteral(int at, List<Expr> items) implements Expr {
    }

    record DictLiteral(int at, List<Expr> keys, List<Expr> values) implements Expr {
    }

    /** {@code target.name}: attribute first, then item (Jinja's getattr). */
    record GetAttr(int at, Expr target, String name) implements Expr {
    }

    /** {@code target[key]}: item first, then attribute (Jinja's getitem). */
    record GetItem(int at, Expr target, Expr key) implements Expr {
    }

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(int at, Expr target, Expr start, Expr stop, Expr step) implements Expr {
    }

    record KeywordArg(String name, Expr value) {
    }

    record Call(int at, Expr callee, List<Expr> args, List<KeywordArg> kwargs) implements Expr {
    }

    /** {@code target | name(args)}. */
    record Filter(int at, Expr target, String name, List<Expr> args, List<KeywordArg> kwargs) implements Expr {
    }

    /** {@code target is [not] name(args)}. */
    record Test(int at, Expr target, String name, List<Expr> args, boolean negated) implements Expr {
    }

    enum UnaryOp { NEGATE, PLUS, NOT }

    record Unary(int at, UnaryOp op, Expr operand) implements Expr {
    }

    enum BinaryOp {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), FLOOR_DIVIDE("//"), MODULO("%"), POWER("**"), CONCAT("~");

        final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }
    }

    record Binary(int at, BinaryOp op, Expr left, Expr right) implements Expr {
    }

    /** {@code and} / {@code or}: short-circuit, and the value is an operand, as in Python. */
    record Logical(int at, boolean isAnd, Expr left, Expr right) implements Expr {
    }

    /** One link of a comparison chain: operator is ==, !=, <, <=, >, >=, in or "not in". */
    record Comparison(String operator, Expr right) {
    }

    /** {@code a < b <= c}: Python's chained comparison. */
    record Compare(int at, Expr first, List<Comparison> rest) implements Expr {
    }

    /** {@code then if condition else otherwise}; otherwise null yields undefined. */
    record Conditional(int at, Expr condition, Expr then, Expr otherwise) implements Expr {
    }
}
