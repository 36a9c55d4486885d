package dev.cascade.weights.chat;

/**
 * One lexical token. {@code text} is the source spelling (for TEXT the literal output, for STRING the
 * decoded value); {@code number} holds the value of INTEGER (Long) and FLOAT (Double) tokens.
 * {@code offset} indexes the normalized template source.
 */
record Token(Kind kind, String text, Object number, int offset) {

    enum Kind {
        TEXT, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, END
    }

    boolean is(Kind k, String spelling) {
        return kind == k && text.equals(spelling);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    boolean isOperator(String op) {
        return is(Kind.OPERATOR, op);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "end of template";
            case BLOCK_END -> "end of statement block";
            case VARIABLE_END -> "end of print statement";
            case STRING -> "string " + PyStrings.repr(text);
            case TEXT -> "template text";
            default -> "'" + text + "'";
        };
    }
}
