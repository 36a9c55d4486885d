package dev.cascade.weights.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja's built-in tests: the names after {@code is} ({@code x is defined}, {@code x is not none}...). */
final class Tests {
    interface Test {
        boolean apply(Object value, List<Object> args);
    }

    private static final Map<String, Test> TESTS = new HashMap<>();

    private Tests() {
    }

    static boolean apply(String name, Object value, List<Object> args) {
        Test test = TESTS.get(name);
        if (test == null) {
            throw new TemplateRenderException("no test named '" + name + "'");
        }
        return test.apply(value, args);
    }

    private static void define(Test test, String... names) {
        for (String name : names) {
            TESTS.put(name, test);
        }
    }

    private static void unary(String name, java.util.function.Predicate<Object> predicate) {
        define((value, args) -> {
            expectArguments(name, args, 0);
            return predicate.test(value);
        }, name);
    }

    private static Object argument(String name, List<Object> args) {
        expectArguments(name, args, 1);
        return args.getFirst();
    }

    private static void expectArguments(String name, List<Object> args, int count) {
        if (args.size() != count) {
            throw new TemplateRenderException("test '" + name + "' takes " + count + " argument(s), " + args.size() + " given");
        }
    }

    private static long integer(String name, Object value) {
        if (!PyValues.isInteger(value)) {
            throw new TemplateRenderException("test '" + name + "' needs an integer, got " + PyValues.typeName(value));
        }
        return PyValues.asLong(value);
    }

    static {
        unary("defined", v -> !(v instanceof Undefined));
        unary("undefined", v -> v instanceof Undefined);
        unary("none", v -> v == null);
        unary("boolean", v -> v instanceof Boolean);
        unary("true", v -> Boolean.TRUE.equals(v));
        unary("false", v -> Boolean.FALSE.equals(v));
        unary("integer", v -> v instanceof Long);
        unary("float", v -> v instanceof Double);
        unary("number", PyValues::isNumber);
        unary("string", v -> v instanceof String);
        unary("mapping", v -> v instanceof Map<?, ?>);
        // Python's test: has len() and __getitem__, which strings, lists and dicts (and Undefined) have.
        unary("sequence", v -> v instanceof List<?> || v instanceof String || v instanceof Map<?, ?> || v instanceof Undefined);
        unary("iterable", PyValues::isIterable);
        unary("callable", v -> v instanceof JinjaCallable);
        unary("escaped", v -> false);
        unary("lower", v -> PyStrings.isLower(PyValues.str(v)));
        unary("upper", v -> PyStrings.isUpper(PyValues.str(v)));
        unary("odd", v -> Math.floorMod(integer("odd", v), 2) == 1);
        unary("even", v -> Math.floorMod(integer("even", v), 2) == 0);
        define((v, args) -> {
            long divisor = integer("divisibleby", argument("divisibleby", args));
            if (divisor == 0) {
                throw new TemplateRenderException("integer division or modulo by zero");
            }
            return Math.floorMod(integer("divisibleby", v), divisor) == 0;
        }, "divisibleby");
        define((v, args) -> {
            Object other = argument("sameas", args);
            // Python's "is": identity; for the immutable scalars templates compare, value identity.
            return v == other || v != null && other != null && (v instanceof Boolean || v instanceof Long) && v.equals(other);
        }, "sameas");
        define((v, args) -> Operators.contains(argument("in", args), v), "in");
        comparison("==", "eq", "equalto");
        comparison("!=", "ne");
        comparison("<", "lt", "lessthan");
        comparison("<=", "le");
        comparison(">", "gt", "greaterthan");
        comparison(">=", "ge");
        unary("filter", v -> v instanceof String name && Filters.exists(name));
        unary("test", v -> v instanceof String name && TESTS.containsKey(name));
    }

    private static void comparison(String operator, String... names) {
        define((v, args) -> Operators.compare(operator, v, argument(operator, args)), names);
        define((v, args) -> Operators.compare(operator, v, argument(operator, args)), operator);
    }
}
