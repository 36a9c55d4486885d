package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import static dev.cascade.weights.chat.Render.assertRenders;

/**
 * Jinja's whitespace handling as Hugging Face configures it: trim_blocks, lstrip_blocks, {@code -} and {@code +} markers, comments, raw blocks, the dropped final newline.
 * The expected strings are what Python's jinja2 renders in Hugging Face's environment.
 */
class WhitespaceControlTest {
    @Test
    void trimBlocksDropsTheNewlineAfterABlockTag() {
        assertRenders("yes\nafter", "{% if true %}\nyes\n{% endif %}\nafter");
    }

    @Test
    void lstripBlocksDropsIndentationBeforeABlockTag() {
        assertRenders("    x\n", "  {% if true %}\n    x\n  {% endif %}\n");
    }

    @Test
    void lstripBlocksKeepsTextBeforeATagOnTheSameLine() {
        assertRenders("a b", "a {% if true %}b{% endif %}");
    }

    @Test
    void variableTagsAreNotLstripped() {
        assertRenders("  v", "  {{ 'v' }}\n");
    }

    @Test
    void minusStripsAllWhitespaceBefore() {
        assertRenders("ab", "a  \n\n  {%- if true %}b{% endif %}");
    }

    @Test
    void minusStripsAllWhitespaceAfter() {
        assertRenders("b", "{% if true -%}  \n\n b{% endif %}");
    }

    @Test
    void minusOnVariableTags() {
        assertRenders("abc", "a \n {{- 'b' -}} \n c");
    }

    @Test
    void plusKeepsIndentationBeforeABlockTag() {
        assertRenders("  x", "  {%+ if true %}x{% endif %}");
    }

    @Test
    void plusKeepsTheNewlineAfterABlockTag() {
        assertRenders("\nx", "{% if true +%}\nx{% endif %}");
    }

    @Test
    void commentsAreDroppedAndTrimmed() {
        assertRenders("a\nbc", "a\n  {# note #}\nb{#- c -#}  c");
    }

    @Test
    void multilineComment() {
        assertRenders("xy", "x{# a\n{{ not parsed }}\n #}y");
    }

    @Test
    void oneTrailingNewlineIsDropped() {
        assertRenders("text\n", "text\n\n");
    }

    @Test
    void crlfReadsAsNewline() {
        assertRenders("a\nb", "a\r\n{% if true %}\r\nb{% endif %}");
    }

    @Test
    void rawBodyIsNotParsed() {
        assertRenders("{{ x }} {% if %}", "{% raw %}{{ x }} {% if %}{% endraw %}");
    }

    @Test
    void rawWithTrimAndStrip() {
        assertRenders("{{ y }}\nz", "  {% raw -%}  \n {{ y }}\n  {% endraw %}\nz");
    }

    @Test
    void braceInsideExpressionIsNotAnEnd() {
        assertRenders("1", "{{ {'a': {'b': 1}}['a']['b'] }}");
    }

    @Test
    void minusInsideExpressionAfterSpace() {
        assertRenders("3", "{{ 5 - 2 }}");
    }

    @Test
    void lstripAppliesToCommentsToo() {
        assertRenders("a\n  x\n", "a\n{% if true %}\n  {# c #}\n  x\n{% endif %}\n");
    }

    @Test
    void nestedBlocksOnTheirOwnLines() {
        assertRenders("    one\n    two\n", "{% for i in [1,2] %}\n  {% if i == 1 %}\n    one\n  {% else %}\n    two\n  {% endif %}\n{% endfor %}");
    }

    @Test
    void minusAroundSetSwallowsNewlines() {
        assertRenders("ab", "a  {%- set x = 1 -%}  \n  b");
    }

    @Test
    void macroBodyWithWhitespaceControl() {
        assertRenders("[body]", "{% macro m() -%}\n  body\n{%- endmacro %}\n[{{ m() }}]");
    }
}
