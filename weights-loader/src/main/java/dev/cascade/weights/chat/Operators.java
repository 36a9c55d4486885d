package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python's arithmetic, comparison and membership operators over template values. */
final class Operators {
    /** Longest string or list a single operation may build; guards against {@code 'x' * 10**12}. */
    static final long MAX_BUILT_LENGTH = 50_000_000;

    private Operators() {
    }

    static Object binary(Expr.BinaryOp op, Object a, Object b) {
        if (op == Expr.BinaryOp.CONCAT) {
            return PyValues.str(a) + PyValues.str(b);
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (PyValues.isNumber(a) && PyValues.isNumber(b)) {
            return arithmetic(op, a, b);
        }
        return switch (op) {
            case ADD -> add(a, b);
            case MULTIPLY -> {
                if (PyValues.isInteger(b) && (a instanceof String || a instanceof List<?>)) {
                    yield repeat(a, PyValues.asLong(b));
                }
                if (PyValues.isInteger(a) && (b instanceof String || b instanceof List<?>)) {
                    yield repeat(b, PyValues.asLong(a));
                }
                throw unsupported(op, a, b);
            }
            case MODULO -> {
                if (a instanceof String format) {
                    yield PercentFormat.format(format, b);
                }
                throw unsupported(op, a, b);
            }
            default -> throw unsupported(op, a, b);
        };
    }

    private static TemplateRenderException unsupported(Expr.BinaryOp op, Object a, Object b) {
        return new TemplateRenderException("unsupported operand type(s) for " + op.symbol + ": '"
                + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    private static Object add(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            checkLength((long) x.length() + y.length());
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            checkLength((long) x.size() + y.size());
            List<Object> joined = new ArrayList<>(x);
            joined.addAll(y);
            return a instanceof PyTuple ? new PyTuple(joined) : joined;
        }
        if (a instanceof String || a instanceof List<?>) {
            throw new TemplateRenderException("can only concatenate " + PyValues.typeName(a) + " (not \""
                    + PyValues.typeName(b) + "\") to " + PyValues.typeName(a));
        }
        throw unsupported(Expr.BinaryOp.ADD, a, b);
    }

    private static Object repeat(Object sequence, long times) {
        long n = Math.max(times, 0);
        if (sequence instanceof String s) {
            checkLength(s.length() * n);
            return s.repeat((int) n);
        }
        List<?> list = (List<?>) sequence;
        checkLength(list.size() * n);
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(list);
        }
        return sequence instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static void checkLength(long length) {
        if (length > MAX_BUILT_LENGTH) {
            throw new TemplateRenderException("result too large (" + length + " elements)");
        }
    }

    private static Object arithmetic(Expr.BinaryOp op, Object a, Object b) {
        boolean floating = a instanceof Double || b instanceof Double;
        if (op == Expr.BinaryOp.DIVIDE) {
            double divisor = PyValues.asDouble(b);
            if (divisor == 0) {
                throw new TemplateRenderException("division by zero");
            }
            return PyValues.asDouble(a) / divisor;
        }
        if (floating) {
            double x = PyValues.asDouble(a);
            double y = PyValues.asDouble(b);
            return switch (op) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
                case FLOOR_DIVIDE -> {
                    if (y == 0) {
                        throw new TemplateRenderException("float floor division by zero");
                    }
                    yield Math.floor(x / y);
                }
                case MODULO -> {
                    if (y == 0) {
                        throw new TemplateRenderException("float modulo");
                    }
                    double r = x % y;
                    yield r != 0 && (r < 0) != (y < 0) ? r + y : r;
                }
                case POWER -> Math.pow(x, y);
                default -> throw new IllegalStateException(op.toString());
            };
        }
        long x = PyValues.asLong(a);
        long y = PyValues.asLong(b);
        try {
            return switch (op) {
                case ADD -> Math.addExact(x, y);
                case SUBTRACT -> Math.subtractExact(x, y);
                case MULTIPLY -> Math.multiplyExact(x, y);
                case FLOOR_DIVIDE -> {
                    if (y == 0) {
                        throw new TemplateRenderException("integer division or modulo by zero");
                    }
                    yield Math.floorDiv(x, y);
                }
                case MODULO -> {
                    if (y == 0) {
                        throw new TemplateRenderException("integer modulo by zero");
                    }
                    yield Math.floorMod(x, y);
                }
                case POWER -> y < 0 ? (Object) Math.pow(x, y) : power(x, y);
                default -> throw new IllegalStateException(op.toString());
            };
        } catch (ArithmeticException overflow) {
            throw new TemplateRenderException("integer overflow in " + op.symbol + " (Python ints are unbounded, Cascade's are 64-bit)");
        }
    }

    private static long power(long base, long exponent) {
        long result = 1;
        long b = base;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = Math.multiplyExact(result, b);
            }
            e >>= 1;
            if (e > 0) {
                b = Math.multiplyExact(b, b);
            }
        }
        return result;
    }

    static Object negate(Object value) {
        if (value instanceof Double d) {
            return -d;
        }
        if (PyValues.isInteger(value)) {
            long v = PyValues.asLong(value);
            if (v == Long.MIN_VALUE) {
                throw new TemplateRenderException("integer overflow in unary -");
            }
            return -v;
        }
        throw unaryError("-", value);
    }

    static Object plus(Object value) {
        if (value instanceof Double) {
            return value;
        }
        if (PyValues.isInteger(value)) {
            return PyValues.asLong(value);
        }
        throw unaryError("+", value);
    }

    private static TemplateRenderException unaryError(String op, Object value) {
        if (value instanceof Undefined u) {
            return u.error();
        }
        return new TemplateRenderException("bad operand type for unary " + op + ": '" + PyValues.typeName(value) + "'");
    }

    static boolean compare(String operator, Object a, Object b) {
        return switch (operator) {
            case "==" -> PyValues.equal(a, b);
            case "!=" -> !PyValues.equal(a, b);
            case "<" -> PyValues.compare(a, b, operator) < 0;
            case "<=" -> PyValues.compare(a, b, operator) <= 0;
            case ">" -> PyValues.compare(a, b, operator) > 0;
            case ">=" -> PyValues.compare(a, b, operator) >= 0;
            case "in" -> contains(b, a);
            case "not in" -> !contains(b, a);
            default -> throw new IllegalStateException(operator);
        };
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case null -> throw new TemplateRenderException("argument of type 'NoneType' is not iterable");
            case String s -> {
                if (!(item instanceof String needle)) {
                    throw new TemplateRenderException("'in <string>' requires string as left operand, not "
                            + PyValues.typeName(item));
                }
                yield s.contains(needle);
            }
            case List<?> list -> {
                for (Object element : list) {
                    if (PyValues.equal(element, item)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Map<?, ?> map -> PyValues.containsKey(map, item);
            case Undefined u -> false;
            default -> throw new TemplateRenderException("argument of type '" + PyValues.typeName(container)
                    + "' is not iterable");
        };
    }
}
