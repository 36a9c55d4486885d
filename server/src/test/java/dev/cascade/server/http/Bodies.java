package dev.cascade.server.http;

/**
 * Request bodies for demo-tiny, with single quotes for {@link Api#json}. {@code more} is appended
 * inside the object, so it starts with a comma: {@code completion(",'max_tokens':2")}.
 */
final class Bodies {
    /** demo-tiny answers " 85" then EOS, greedily and confidently. JSON-escaped newline. */
    static final String ADD = "Q: 38+47\\nA:";
    /** Beyond what demo-tiny learned: sampled answers vary with the seed. */
    static final String MUL = "Q: 7634*98\\nA:";
    /** "<s>Q: 38+47\nA:": one token per character with BOS, for completions and chat alike. */
    static final int ADD_PROMPT_TOKENS = 12;

    private Bodies() {
    }

    /** A greedy completion of {@link #ADD}. */
    static String completion(String more) {
        return prompt(ADD, ",'temperature':0" + more);
    }

    static String prompt(String prompt, String more) {
        return "{'model':'demo-tiny','prompt':'" + prompt + "'" + more + "}";
    }

    /** A greedy chat asking "38+47". */
    static String chat(String more) {
        return "{'model':'demo-tiny','messages':[{'role':'user','content':'38+47'}],'temperature':0" + more + "}";
    }
}
