package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import static dev.cascade.weights.chat.Render.assertRenders;

/**
 * The tests after {@code is}: {@code defined}, {@code none}, {@code string}, {@code mapping}...
 * The expected strings are what Python's jinja2 renders in Hugging Face's environment.
 */
class JinjaTestTest {
    @Test
    void typeTests() {
        assertRenders("TrueTrueTrueTrueFalseTrueTrueFalseTrueTrueFalse", "{{ 1 is number }}{{ true is number }}{{ 1.5 is float }}{{ 1 is integer }}{{ true is integer }}{{ 'a' is string }}{{ {} is mapping }}{{ [] is mapping }}{{ none is none }}{{ true is boolean }}{{ 1 is boolean }}");
    }

    @Test
    void iterableAndSequence() {
        assertRenders("TrueTrueTrueFalseTrueTrueFalse", "{{ 'a' is iterable }}{{ [] is iterable }}{{ {} is iterable }}{{ 1 is iterable }}{{ 'a' is sequence }}{{ {} is sequence }}{{ 1 is sequence }}");
    }

    @Test
    void definedUndefinedNone() {
        assertRenders("TrueFalseTrueTrueFalseTrueFalse", "{{ x is defined }}{{ y is defined }}{{ y is undefined }}{{ x is none }}{{ x is not none }}{{ m.a is defined }}{{ m.b is defined }}", "{\"x\": null, \"m\": {\"a\": 1}}");
    }

    @Test
    void trueFalseAreIdentityTests() {
        assertRenders("TrueFalseTrueFalseTrue", "{{ true is true }}{{ 1 is true }}{{ false is false }}{{ 0 is false }}{{ flag is false }}", "{\"flag\": false}");
    }

    @Test
    void numberTests() {
        assertRenders("TrueFalseTrueFalse", "{{ 3 is odd }}{{ 3 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}");
    }

    @Test
    void comparisonTests() {
        assertRenders("TrueFalseTrueTrueFalseTrueFalseTrueFalse", "{{ 2 is eq 2 }}{{ 2 is equalto(3) }}{{ 2 is ne 3 }}{{ 2 is lt 3 }}{{ 2 is gt 3 }}{{ 3 is ge 3 }}{{ 3 is le 2 }}{{ 'a' is in 'abc' }}{{ 2 is in [1] }}");
    }

    @Test
    void caseTestsAndCallable() {
        assertRenders("TrueTrueFalseFalseTrueFalseTrueTrueFalse", "{{ 'abc' is lower }}{{ 'ABC' is upper }}{{ 'aBc' is lower }}{{ '123' is lower }}{{ range is callable }}{{ 'x' is callable }}{{ 'trim' is filter }}{{ 'odd' is test }}{{ 'nope' is filter }}");
    }

    @Test
    void testsCombineWithNotAndOr() {
        assertRenders("True False no", "{{ x is not defined or x is none }} {{ not x is defined }} {{ 'yes' if x is defined and x else 'no' }}", "{\"x\": null}");
    }
}
