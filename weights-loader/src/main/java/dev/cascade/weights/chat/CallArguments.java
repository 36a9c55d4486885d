package dev.cascade.weights.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluated arguments of a call, filter or test: positional values, then keyword values. */
record CallArguments(List<Object> positional, Map<String, Object> keyword) {

    /** Marks a parameter without a default in {@link #bind}. */
    static final Object REQUIRED = new Object();

    /**
     * Binds the arguments to Python-style parameters: {@code namesAndDefaults} alternates a name and
     * its default ({@link #REQUIRED} when it has none). Fails like Python on too many positional
     * arguments, unknown keywords, duplicates and missing required ones.
     */
    Object[] bind(String callee, Object... namesAndDefaults) {
        int count = namesAndDefaults.length / 2;
        if (positional.size() > count) {
            throw new TemplateRenderException(callee + "() takes at most " + count + " argument(s), "
                    + positional.size() + " given");
        }
        Object[] bound = new Object[count];
        boolean[] set = new boolean[count];
        for (int i = 0; i < positional.size(); i++) {
            bound[i] = positional.get(i);
            set[i] = true;
        }
        for (Map.Entry<String, Object> e : keyword.entrySet()) {
            int index = -1;
            for (int i = 0; i < count; i++) {
                if (namesAndDefaults[2 * i].equals(e.getKey())) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new TemplateRenderException(callee + "() got an unexpected keyword argument '" + e.getKey() + "'");
            }
            if (set[index]) {
                throw new TemplateRenderException(callee + "() got multiple values for argument '" + e.getKey() + "'");
            }
            bound[index] = e.getValue();
            set[index] = true;
        }
        for (int i = 0; i < count; i++) {
            if (!set[i]) {
                Object fallback = namesAndDefaults[2 * i + 1];
                if (fallback == REQUIRED) {
                    throw new TemplateRenderException(callee + "() missing required argument '" + namesAndDefaults[2 * i] + "'");
                }
                bound[i] = fallback;
            }
        }
        return bound;
    }

    /** Keyword arguments as a fresh, ordered map (for namespace() and dict()). */
    Map<String, Object> keywordCopy() {
        return new LinkedHashMap<>(keyword);
    }
}
