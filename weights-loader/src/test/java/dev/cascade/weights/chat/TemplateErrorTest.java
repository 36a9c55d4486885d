package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad templates and bad data fail with a TemplateException that says what and where, never hang or overflow. */
class TemplateErrorTest {

    private static TemplateSyntaxException syntaxError(String template) {
        return assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse(template), template);
    }

    private static TemplateRenderException renderError(String template) {
        ChatTemplate parsed = ChatTemplate.parse(template);
        return assertThrows(TemplateRenderException.class, () -> parsed.render(Map.of()), template);
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' does not mention '" + part + "'");
        }
    }

    @Test
    void unclosedBlockNamesTheMissingEndTag() {
        TemplateSyntaxException e = syntaxError("{% for x in y %}\n{% if x %}{{ x }}{% endfor %}");
        assertMentions(e, "'endif'");
        assertEquals(2, e.position().line());
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        TemplateSyntaxException e = syntaxError("line one\n  {{ 1 + }}");
        assertEquals(new SourcePosition(2, 10), e.position());
        assertMentions(e, "line 2, column 10", "end of print statement");
    }

    @Test
    void unknownTagIsNamed() {
        assertMentions(syntaxError("{% include 'other.jinja' %}"), "unknown tag 'include'");
        assertMentions(syntaxError("{% endif %}"), "unexpected 'endif'");
    }

    @Test
    void unterminatedConstructs() {
        assertMentions(syntaxError("{{ 'abc }}"), "unterminated string");
        assertMentions(syntaxError("text {{ x"), "not closed");
        assertMentions(syntaxError("{# comment"), "missing end of comment");
        assertMentions(syntaxError("{% raw %}never ends"), "missing end of raw");
        assertMentions(syntaxError("{{ (1 }}"), "expected ')'");
        assertMentions(syntaxError("{{ x ] }}"), "unexpected ']'");
    }

    @Test
    void misplacedStatements() {
        assertMentions(syntaxError("{% break %}"), "'break' outside of a loop");
        assertMentions(syntaxError("{% for x in y %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}"), "outside of a loop");
        assertMentions(syntaxError("{% set true = 1 %}"), "cannot assign to 'true'");
        assertMentions(syntaxError("{% macro m(a=1, b) %}{% endmacro %}"), "non-default argument");
        assertMentions(syntaxError("{{ f(a=1, 2) }}"), "positional argument follows keyword argument");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        assertMentions(syntaxError("{{ " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " }}"), "nested too deeply");
        assertMentions(syntaxError("{{ " + "not ".repeat(20_000) + "x }}"), "nested too deeply");
        assertMentions(syntaxError("{{ " + "-".repeat(20_000) + "1 }}"), "nested too deeply");
        assertMentions(syntaxError("{% if x %}".repeat(5_000)), "nested too deeply");
    }

    @Test
    void unknownFilterAndTestAreNamedWithTheirPosition() {
        TemplateRenderException filter = renderError("ok\n{{ 'x' | shout }}");
        assertMentions(filter, "no filter named 'shout'", "line 2");
        assertMentions(renderError("{{ 1 is prime }}"), "no test named 'prime'");
    }

    @Test
    void undefinedFailsWhereJinjaFails() {
        assertMentions(renderError("{{ missing.attribute }}"), "'missing' is undefined");
        assertMentions(renderError("{{ missing + 1 }}"), "'missing' is undefined");
        assertMentions(renderError("{{ missing() }}"), "'missing' is undefined");
        assertMentions(renderError("{{ {'a': 1}.b.c }}"), "'dict object' has no attribute 'b'");
    }

    @Test
    void typeErrorsSayWhatPythonSays() {
        assertMentions(renderError("{{ 'a' + 1 }}"), "can only concatenate str (not \"int\") to str");
        assertMentions(renderError("{{ 1 < 'a' }}"), "'<' not supported between instances of 'int' and 'str'");
        assertMentions(renderError("{{ 1 / 0 }}"), "division by zero");
        assertMentions(renderError("{{ 'x'() }}"), "'str' object is not callable");
        assertMentions(renderError("{% for x in 5 %}{% endfor %}"), "'int' object is not iterable");
        assertMentions(renderError("{{ 1 in 'abc' }}"), "requires string as left operand");
        assertMentions(renderError("{% set a, b = [1, 2, 3] %}"), "too many values to unpack");
        assertMentions(renderError("{% set s = 'str' %}{% set s.x = 1 %}"), "only namespace() objects");
        assertMentions(renderError("{{ missing | tojson }}"), "not JSON serializable");
        assertMentions(renderError("{{ 'a'.split('') }}"), "empty separator");
    }

    @Test
    void raiseExceptionCarriesTheTemplatesMessageExactly() {
        ChatTemplate t = ChatTemplate.parse("{% if messages[0].role == 'system' %}\n"
                + "{{ raise_exception('System role not supported') }}{% endif %}ok");
        TemplateRaisedException e = assertThrows(TemplateRaisedException.class,
                () -> t.render(java.util.List.of(ChatMessage.system("s")), false, Map.of()));
        assertEquals("System role not supported", e.getMessage());
        assertEquals(2, e.position().line());
        assertEquals("ok", t.render(java.util.List.of(ChatMessage.user("u")), false, Map.of()));
    }

    @Test
    void runawayRecursionIsStopped() {
        assertMentions(renderError("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"), "recursion depth");
        assertMentions(renderError("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}"), "recursion depth");
    }

    @Test
    void hugeResultsAreRefused() {
        assertMentions(renderError("{{ range(1000000) | length }}"), "Range too big");
        assertMentions(renderError("{{ 'x' * 1000000000 }}"), "too large");
        assertMentions(renderError("{% set s = 'x' * 10000000 %}{% for i in range(100) %}{{ s }}{% endfor %}"), "output exceeds");
    }

    @Test
    void macroArgumentErrors() {
        assertMentions(renderError("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}"), "takes not more than 1 argument");
        assertMentions(renderError("{% macro m(a) %}{% endmacro %}{{ m(b=2) }}"), "no keyword argument 'b'");
        assertMentions(renderError("{{ 'a'.strip(1, 2) }}"), "takes at most 1 argument");
        assertMentions(renderError("{{ [1] | join(nope=1) }}"), "unexpected keyword argument 'nope'");
    }

    /** Random fragments of Jinja syntax: every one parses and renders, or fails with a TemplateException. */
    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        String[] pieces = {"{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "if", "for", "in", "endif", "endfor", "else",
            "set", "macro", "endmacro", "x", "y", "loop", "(", ")", "[", "]", "{", "}", "'", "\"", "|", "trim", ".",
            ",", ":", "=", "==", "1", "2.5", " ", "\n", "is", "not", "defined", "raw", "endraw", "~", "*", "**", "%"};
        Random random = new Random(20240611);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 5_000; i++) {
                StringBuilder template = new StringBuilder();
                int length = 1 + random.nextInt(30);
                for (int j = 0; j < length; j++) {
                    template.append(pieces[random.nextInt(pieces.length)]);
                }
                try {
                    ChatTemplate.parse(template.toString()).render(Map.of("x", java.util.List.of(1, "a"), "y", "s"));
                } catch (TemplateException expected) {
                    // fine: a clear template error
                } catch (RuntimeException | StackOverflowError other) {
                    throw new AssertionError("template " + template + " failed with " + other, other);
                }
            }
        });
    }
}
