package dev.cascade.weights.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cascade.weights.chat.Token.Kind;

/**
 * Recursive-descent parser from tokens to {@link Node}s, following Jinja's grammar and operator
 * precedence (lowest first): conditional {@code a if c else b}, or, and, not, comparisons
 * (chained, in, not in), {@code + -}, {@code ~}, {@code * / // %}, {@code **}, unary {@code - +},
 * then postfix attribute, subscript and call, with filters and tests binding tightest of all.
 */
final class Parser {
    /** Deeper nesting than this is refused, so hostile input cannot overflow the stack. */
    static final int MAX_DEPTH = 200;

    private final String source;
    private final List<Token> tokens;
    private int index;
    private int depth;
    private int loopDepth;
    /** Names referenced inside each macro being parsed, to know if it uses caller/varargs/kwargs. */
    private final Deque<Set<String>> macroNames = new ArrayDeque<>();
    /** End tags the enclosing blocks wait for, innermost first, for "expected 'endif'" messages. */
    private final Deque<Set<String>> openBlocks = new ArrayDeque<>();

    private Parser(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    /** Parses a {@link Lexer#normalize normalized} template source. */
    static List<Node> parse(String normalizedSource) {
        Parser parser = new Parser(normalizedSource, Lexer.tokenize(normalizedSource));
        List<Node> body = parser.parseBody(Set.of());
        parser.expect(Kind.END);
        return body;
    }

    // ---- token stream ----

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    private TemplateSyntaxException error(String message, Token at) {
        return new TemplateSyntaxException(message, SourcePosition.of(source, at.offset()));
    }

    private Token expect(Kind kind) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error("expected " + describe(kind) + ", got " + t.describe(), t);
        }
        return next();
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case BLOCK_END -> "end of statement block";
            case VARIABLE_END -> "end of print statement";
            case NAME -> "a name";
            case END -> "end of template";
            default -> kind.name().toLowerCase();
        };
    }

    private void expectOperator(String op) {
        Token t = peek();
        if (!t.isOperator(op)) {
            throw error("expected '" + op + "', got " + t.describe(), t);
        }
        next();
    }

    private boolean skipOperator(String op) {
        if (peek().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    private boolean skipName(String name) {
        if (peek().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    private String expectName() {
        return expect(Kind.NAME).text();
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error("template nested too deeply (more than " + MAX_DEPTH + " levels)", at);
        }
    }

    // ---- statements ----

    /** Nodes up to the block tag named one of {@code endNames} (left unconsumed) or the end of input. */
    private List<Node> parseBody(Set<String> endNames) {
        enter(peek());
        if (!endNames.isEmpty()) {
            openBlocks.push(endNames);
        }
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case TEXT -> body.add(new Node.Text(next().offset(), t.text()));
                case VARIABLE_BEGIN -> {
                    next();
                    body.add(new Node.Output(t.offset(), parseTuple(true, Set.of(), false)));
                    expect(Kind.VARIABLE_END);
                }
                case BLOCK_BEGIN -> {
                    Token name = peek(1);
                    if (name.kind() == Kind.NAME && endNames.contains(name.text())) {
                        depth--;
                        openBlocks.pop();
                        return body;
                    }
                    next();
                    body.add(parseStatement());
                }
                case END -> {
                    if (!endNames.isEmpty()) {
                        throw error("unexpected end of template, expected " + quoteAll(endNames), t);
                    }
                    depth--;
                    return body;
                }
                default -> throw error("unexpected " + t.describe(), t);
            }
        }
    }

    private static String quoteAll(Set<String> names) {
        return names.stream().sorted().map(n -> "'" + n + "'").reduce((a, b) -> a + " or " + b).orElse("");
    }

    /** Consumes {@code {% name %}}, one of the end tags a body stopped at, and returns the name. */
    private String endTag() {
        expect(Kind.BLOCK_BEGIN);
        String name = expectName();
        expect(Kind.BLOCK_END);
        return name;
    }

    private Node parseStatement() {
        Token keyword = peek();
        if (keyword.kind() != Kind.NAME) {
            throw error("tag name expected, got " + keyword.describe(), keyword);
        }
        next();
        int at = keyword.offset();
        Node node = switch (keyword.text()) {
            case "if" -> parseIf(at);
            case "for" -> parseFor(at);
            case "set" -> parseSet(at);
            case "macro" -> parseMacro(at);
            case "call" -> parseCallBlock(at);
            case "filter" -> parseFilterBlock(at);
            case "with" -> parseWith(at);
            case "generation" -> {
                expect(Kind.BLOCK_END);
                List<Node> body = parseBody(Set.of("endgeneration"));
                endTag();
                yield new Node.Generation(at, body);
            }
            case "print" -> {
                Node.Output output = new Node.Output(at, parseTuple(true, Set.of(), false));
                expect(Kind.BLOCK_END);
                yield output;
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw error("'" + keyword.text() + "' outside of a loop", keyword);
                }
                expect(Kind.BLOCK_END);
                yield keyword.text().equals("break") ? new Node.Break(at) : new Node.Continue(at);
            }
            default -> {
                boolean misplaced = keyword.text().startsWith("end") || keyword.text().equals("else")
                        || keyword.text().equals("elif");
                String message = misplaced ? "unexpected '" + keyword.text() + "' tag" : "unknown tag '" + keyword.text() + "'";
                if (!openBlocks.isEmpty()) {
                    message += "; expected " + quoteAll(openBlocks.peek());
                }
                throw error(message, keyword);
            }
        };
        return node;
    }

    private Node parseIf(int at) {
        List<Node.Branch> branches = new ArrayList<>();
        List<Node> otherwise = List.of();
        Expr condition = parseTuple(false, Set.of(), false);
        while (true) {
            expect(Kind.BLOCK_END);
            List<Node> body = parseBody(Set.of("elif", "else", "endif"));
            branches.add(new Node.Branch(condition, body));
            expect(Kind.BLOCK_BEGIN);
            String tag = expectName();
            if (tag.equals("elif")) {
                condition = parseTuple(false, Set.of(), false);
                continue;
            }
            if (tag.equals("else")) {
                expect(Kind.BLOCK_END);
                otherwise = parseBody(Set.of("endif"));
                endTag();
            } else {
                expect(Kind.BLOCK_END);
            }
            return new Node.If(at, branches, otherwise);
        }
    }

    private Node parseFor(int at) {
        Node.Target target = parseAssignTarget(false, Set.of("in"));
        if (!skipName("in")) {
            throw error("expected 'in', got " + peek().describe(), peek());
        }
        Expr iterable = parseTuple(false, Set.of("recursive"), false);
        Expr filter = null;
        if (skipName("if")) {
            filter = parseExpression(true);
        }
        boolean recursive = skipName("recursive");
        expect(Kind.BLOCK_END);
        loopDepth++;
        List<Node> body = parseBody(Set.of("endfor", "else"));
        loopDepth--;
        List<Node> otherwise = List.of();
        if (endTag().equals("else")) {
            otherwise = parseBody(Set.of("endfor"));
            endTag();
        }
        return new Node.For(at, target, iterable, filter, recursive, body, otherwise);
    }

    private Node parseSet(int at) {
        Node.Target target = parseAssignTarget(true, Set.of());
        if (skipOperator("=")) {
            Expr value = parseTuple(true, Set.of(), false);
            expect(Kind.BLOCK_END);
            return new Node.Set(at, target, value);
        }
        List<Expr.Filter> filters = parseFilterChain(peek().isOperator("|"));
        expect(Kind.BLOCK_END);
        List<Node> body = parseBody(Set.of("endset"));
        endTag();
        return new Node.SetBlock(at, target, filters, body);
    }

    private Node.MacroDefinition parseMacro(int at) {
        String name = expectName();
        List<Node.Parameter> parameters = parseParameters();
        expect(Kind.BLOCK_END);
        return parseMacroBody(at, name, parameters, "endmacro");
    }

    private Node.MacroDefinition parseMacroBody(int at, String name, List<Node.Parameter> parameters, String endName) {
        macroNames.push(new HashSet<>());
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Node> body = parseBody(Set.of(endName));
        loopDepth = outerLoops;
        Set<String> used = macroNames.pop();
        endTag();
        return new Node.MacroDefinition(at, name, parameters, body,
                used.contains("caller"), used.contains("varargs"), used.contains("kwargs"));
    }

    private List<Node.Parameter> parseParameters() {
        List<Node.Parameter> parameters = new ArrayList<>();
        expectOperator("(");
        while (!peek().isOperator(")")) {
            if (!parameters.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            Token name = expect(Kind.NAME);
            Expr fallback = skipOperator("=") ? parseExpression(true) : null;
            if (fallback == null && !parameters.isEmpty() && parameters.getLast().fallback() != null) {
                throw error("non-default argument follows default argument", name);
            }
            parameters.add(new Node.Parameter(name.text(), fallback));
        }
        next();
        return parameters;
    }

    private Node parseCallBlock(int at) {
        List<Node.Parameter> callerParameters = peek().isOperator("(") ? parseParameters() : List.of();
        Token callToken = peek();
        Expr call = parseExpression(true);
        if (!(call instanceof Expr.Call c)) {
            throw error("expected a macro call after 'call'", callToken);
        }
        expect(Kind.BLOCK_END);
        Node.MacroDefinition caller = parseMacroBody(at, "caller", callerParameters, "endcall");
        return new Node.CallBlock(at, c, caller);
    }

    private Node parseFilterBlock(int at) {
        List<Expr.Filter> filters = parseFilterChain(false);
        expect(Kind.BLOCK_END);
        List<Node> body = parseBody(Set.of("endfilter"));
        endTag();
        return new Node.FilterBlock(at, filters, body);
    }

    private Node parseWith(int at) {
        List<Node.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (peek().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOperator(",");
            }
            targets.add(parseAssignTarget(false, Set.of()));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        next();
        List<Node> body = parseBody(Set.of("endwith"));
        endTag();
        return new Node.With(at, targets, values, body);
    }

    /** Filters of {@code {% filter a | b(x) %}} or {@code {% set v | a %}}, applied to a placeholder. */
    private List<Expr.Filter> parseFilterChain(boolean leadingPipe) {
        List<Expr.Filter> filters = new ArrayList<>();
        if (leadingPipe) {
            expectOperator("|");
        } else if (peek().kind() == Kind.BLOCK_END) {
            return filters;
        }
        Expr placeholder = new Expr.Literal(peek().offset(), null);
        do {
            filters.add(parseFilter(placeholder));
        } while (skipOperator("|"));
        return filters;
    }

    /** A set/for/with target: a name, {@code ns.attr} where allowed, or a tuple of names. */
    private Node.Target parseAssignTarget(boolean allowNamespace, Set<String> endNames) {
        List<Node.Target> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            Token t = peek();
            if (t.isOperator("(")) {
                next();
                Node.Target inner = parseAssignTarget(false, Set.of());
                expectOperator(")");
                items.add(inner);
            } else {
                String name = expectName();
                if (allowNamespace && peek().isOperator(".")) {
                    next();
                    return new Node.NamespaceTarget(name, expectName());
                }
                if (isReservedTargetName(name)) {
                    throw error("cannot assign to '" + name + "'", t);
                }
                items.add(new Node.NameTarget(name));
            }
            if (!peek().isOperator(",")) {
                break;
            }
            next();
            tuple = true;
            if (peek().kind() != Kind.NAME && !peek().isOperator("(") || endNames.contains(peek().text())) {
                break;
            }
        }
        return tuple ? new Node.TupleTarget(items) : items.getFirst();
    }

    private static boolean isReservedTargetName(String name) {
        return switch (name) {
            case "true", "false", "none", "True", "False", "None" -> true;
            default -> false;
        };
    }

    // ---- expressions ----

    /** Jinja's parse_tuple: one expression, or a tuple if there are commas. */
    private Expr parseTuple(boolean withConditional, Set<String> endNames, boolean explicitParentheses) {
        int at = peek().offset();
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(endNames)) {
                break;
            }
            items.add(parseExpression(withConditional));
            if (peek().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (!items.isEmpty()) {
                return items.getFirst();
            }
            if (!explicitParentheses) {
                throw error("expected an expression, got " + peek().describe(), peek());
            }
        }
        return new Expr.TupleLiteral(at, items);
    }

    private boolean isTupleEnd(Set<String> endNames) {
        Token t = peek();
        return t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.END
                || t.isOperator(")") || (t.kind() == Kind.NAME && endNames.contains(t.text()));
    }

    private Expr parseExpression(boolean withConditional) {
        return withConditional ? parseConditional() : parseOr();
    }

    private Expr parseConditional() {
        Token start = peek();
        enter(start);
        Expr expr = parseOr();
        while (peek().isName("if")) {
            next();
            Expr condition = parseOr();
            Expr otherwise = skipName("else") ? parseConditional() : null;
            expr = new Expr.Conditional(start.offset(), condition, expr, otherwise);
        }
        depth--;
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (peek().isName("or")) {
            int at = next().offset();
            left = new Expr.Logical(at, false, left, parseAnd());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (peek().isName("and")) {
            int at = next().offset();
            left = new Expr.Logical(at, true, left, parseNot());
        }
        return left;
    }

    private Expr parseNot() {
        if (peek().isName("not")) {
            Token t = next();
            enter(t);
            Expr operand = parseNot();
            depth--;
            return new Expr.Unary(t.offset(), Expr.UnaryOp.NOT, operand);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int at = peek().offset();
        Expr first = parseAdditive();
        List<Expr.Comparison> rest = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.OPERATOR && switch (t.text()) {
                case "==", "!=", "<", "<=", ">", ">=" -> true;
                default -> false;
            }) {
                next();
                rest.add(new Expr.Comparison(t.text(), parseAdditive()));
            } else if (t.isName("in")) {
                next();
                rest.add(new Expr.Comparison("in", parseAdditive()));
            } else if (t.isName("not") && peek(1).isName("in")) {
                next();
                next();
                rest.add(new Expr.Comparison("not in", parseAdditive()));
            } else {
                break;
            }
        }
        return rest.isEmpty() ? first : new Expr.Compare(at, first, rest);
    }

    private Expr parseAdditive() {
        Expr left = parseConcat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary(op.offset(), op.text().equals("+") ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUBTRACT,
                    left, parseConcat());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseMultiplicative();
        while (peek().isOperator("~")) {
            Token op = next();
            left = new Expr.Binary(op.offset(), Expr.BinaryOp.CONCAT, left, parseMultiplicative());
        }
        return left;
    }

    private Expr parseMultiplicative() {
        Expr left = parsePower();
        while (true) {
            Token op = peek();
            Expr.BinaryOp kind = switch (op.kind() == Kind.OPERATOR ? op.text() : "") {
                case "*" -> Expr.BinaryOp.MULTIPLY;
                case "/" -> Expr.BinaryOp.DIVIDE;
                case "//" -> Expr.BinaryOp.FLOOR_DIVIDE;
                case "%" -> Expr.BinaryOp.MODULO;
                default -> null;
            };
            if (kind == null) {
                return left;
            }
            next();
            left = new Expr.Binary(op.offset(), kind, left, parsePower());
        }
    }

    private Expr parsePower() {
        Expr left = parseUnary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary(op.offset(), Expr.BinaryOp.POWER, left, parseUnary(true));
        }
        return left;
    }

    private Expr parseUnary(boolean withFilters) {
        Token t = peek();
        enter(t);
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            node = new Expr.Unary(t.offset(), t.text().equals("-") ? Expr.UnaryOp.NEGATE : Expr.UnaryOp.PLUS,
                    parseUnary(false));
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        if (withFilters) {
            node = parseFiltersAndTests(node);
        }
        depth--;
        return node;
    }

    private Expr parsePrimary() {
        Token t = next();
        int at = t.offset();
        return switch (t.kind()) {
            case NAME -> switch (t.text()) {
                case "true", "True" -> new Expr.Literal(at, Boolean.TRUE);
                case "false", "False" -> new Expr.Literal(at, Boolean.FALSE);
                case "none", "None" -> new Expr.Literal(at, null);
                default -> {
                    for (Set<String> names : macroNames) {
                        names.add(t.text());
                    }
                    yield new Expr.Name(at, t.text());
                }
            };
            case STRING -> {
                // Adjacent string literals concatenate, as in Python.
                StringBuilder text = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    text.append(next().text());
                }
                yield new Expr.Literal(at, text.toString());
            }
            case INTEGER, FLOAT -> new Expr.Literal(at, t.number());
            case OPERATOR -> switch (t.text()) {
                case "(" -> {
                    Expr inner = parseTuple(true, Set.of(), true);
                    expectOperator(")");
                    yield inner;
                }
                case "[" -> new Expr.ListLiteral(at, parseSequence("]"));
                case "{" -> parseDict(at);
                default -> throw error("unexpected '" + t.text() + "'", t);
            };
            default -> throw error("unexpected " + t.describe(), t);
        };
    }

    private List<Expr> parseSequence(String close) {
        List<Expr> items = new ArrayList<>();
        while (!peek().isOperator(close)) {
            if (!items.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator(close)) {
                    break;
                }
            }
            items.add(parseExpression(true));
        }
        next();
        return items;
    }

    private Expr parseDict(int at) {
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!peek().isOperator("}")) {
            if (!keys.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator("}")) {
                    break;
                }
            }
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        next();
        return new Expr.DictLiteral(at, keys, values);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".")) {
                next();
                Token attribute = next();
                if (attribute.kind() == Kind.NAME) {
                    node = new Expr.GetAttr(t.offset(), node, attribute.text());
                } else if (attribute.kind() == Kind.INTEGER) {
                    node = new Expr.GetItem(t.offset(), node, new Expr.Literal(attribute.offset(), attribute.number()));
                } else {
                    throw error("expected an attribute name after '.', got " + attribute.describe(), attribute);
                }
            } else if (t.isOperator("[")) {
                next();
                node = parseSubscript(t.offset(), node);
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(int at, Expr target) {
        List<Expr> keys = new ArrayList<>();
        Expr slice = null;
        while (!peek().isOperator("]")) {
            if (!keys.isEmpty() || slice != null) {
                expectOperator(",");
                if (peek().isOperator("]")) {
                    break;
                }
            }
            Expr start = peek().isOperator(":") ? null : parseExpression(true);
            if (!peek().isOperator(":")) {
                keys.add(start);
                continue;
            }
            next();
            Expr stop = isSliceEnd() ? null : parseExpression(true);
            Expr step = null;
            if (skipOperator(":")) {
                step = isSliceEnd() ? null : parseExpression(true);
            }
            if (slice != null || !keys.isEmpty()) {
                throw error("multi-dimensional subscripts are not supported", peek());
            }
            slice = new Expr.Slice(at, target, start, stop, step);
        }
        Token close = next();
        if (slice != null) {
            if (!keys.isEmpty()) {
                throw error("multi-dimensional subscripts are not supported", close);
            }
            return slice;
        }
        if (keys.isEmpty()) {
            throw error("expected a subscript", close);
        }
        Expr key = keys.size() == 1 ? keys.getFirst() : new Expr.TupleLiteral(at, keys);
        return new Expr.GetItem(at, target, key);
    }

    private boolean isSliceEnd() {
        Token t = peek();
        return t.isOperator("]") || t.isOperator(",") || t.isOperator(":");
    }

    private Expr.Call parseCall(Expr callee) {
        Token open = next();
        List<Expr> args = new ArrayList<>();
        List<Expr.KeywordArg> kwargs = new ArrayList<>();
        parseArguments(args, kwargs);
        return new Expr.Call(open.offset(), callee, args, kwargs);
    }

    /** Arguments after an already consumed '(' through the closing ')'. */
    private void parseArguments(List<Expr> args, List<Expr.KeywordArg> kwargs) {
        boolean first = true;
        while (!peek().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            first = false;
            Token t = peek();
            if (t.isOperator("*") || t.isOperator("**")) {
                throw error("'*' and '**' arguments are not supported", t);
            }
            if (t.kind() == Kind.NAME && peek(1).isOperator("=")) {
                next();
                next();
                kwargs.add(new Expr.KeywordArg(t.text(), parseExpression(true)));
            } else {
                if (!kwargs.isEmpty()) {
                    throw error("positional argument follows keyword argument", t);
                }
                args.add(parseExpression(true));
            }
        }
        next();
    }

    private Expr parseFiltersAndTests(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                next();
                node = parseFilter(node);
            } else if (t.isName("is")) {
                next();
                node = parseTest(t.offset(), node);
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private String parseDottedName() {
        StringBuilder name = new StringBuilder(expectName());
        while (peek().isOperator(".") && peek(1).kind() == Kind.NAME) {
            next();
            name.append('.').append(next().text());
        }
        return name.toString();
    }

    private Expr.Filter parseFilter(Expr target) {
        int at = peek().offset();
        String name = parseDottedName();
        List<Expr> args = new ArrayList<>();
        List<Expr.KeywordArg> kwargs = new ArrayList<>();
        if (peek().isOperator("(")) {
            next();
            parseArguments(args, kwargs);
        }
        return new Expr.Filter(at, target, name, args, kwargs);
    }

    private Expr parseTest(int at, Expr target) {
        boolean negated = skipName("not");
        String name = parseDottedName();
        List<Expr> args = new ArrayList<>();
        Token t = peek();
        if (t.isOperator("(")) {
            next();
            List<Expr.KeywordArg> kwargs = new ArrayList<>();
            parseArguments(args, kwargs);
            if (!kwargs.isEmpty()) {
                throw error("tests take no keyword arguments", t);
            }
        } else if (startsTestArgument(t)) {
            // Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas none`.
            if (t.isName("is")) {
                throw error("you cannot chain multiple tests with 'is'", t);
            }
            args.add(parsePostfix(parsePrimary()));
        }
        return new Expr.Test(at, target, name, args, negated);
    }

    private static boolean startsTestArgument(Token t) {
        return switch (t.kind()) {
            case NAME -> !(t.text().equals("else") || t.text().equals("or") || t.text().equals("and"));
            case STRING, INTEGER, FLOAT -> true;
            case OPERATOR -> t.text().equals("(") || t.text().equals("[") || t.text().equals("{");
            default -> false;
        };
    }
}
