package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import static dev.cascade.weights.chat.Render.assertRenders;

/**
 * Statements: if, for (loop variables, filters, else, unpacking, recursion, break/continue), set and its scoping, namespace, macros, call blocks, with, filter blocks, generation.
 * The expected strings are what Python's jinja2 renders in Hugging Face's environment.
 */
class StatementTest {
    @Test
    void ifElifElse() {
        assertRenders("one two many ", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}");
    }

    @Test
    void loopVariables() {
        assertRenders("1032103 2121003 3210013 ", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first | int }}{{ loop.last | int }}{{ loop.length }} {% endfor %}");
    }

    @Test
    void loopPrevNextCycleAndDepth() {
        assertRenders("[|2|a|1][1|3|b|1][2||a|1]", "{% for x in [1, 2, 3] %}[{{ loop.previtem }}|{{ loop.nextitem }}|{{ loop.cycle('a', 'b') }}|{{ loop.depth }}]{% endfor %}");
    }

    @Test
    void loopChanged() {
        assertRenders("C.C.C", "{% for x in [1, 1, 2, 2, 1] %}{{ 'C' if loop.changed(x) else '.' }}{% endfor %}");
    }

    @Test
    void forWithFilterCountsOnlyKeptItems() {
        assertRenders("1/2:user 2/2:assistant ", "{% for m in msgs if m.role != 'system' %}{{ loop.index }}/{{ loop.length }}:{{ m.role }} {% endfor %}", "{\"msgs\": [{\"role\": \"system\"}, {\"role\": \"user\"}, {\"role\": \"assistant\"}]}");
    }

    @Test
    void forElseRunsWhenNothingIterated() {
        assertRenders("empty none kept undefined", "{% for x in [] %}x{% else %}empty{% endfor %} {% for x in [1] if x > 5 %}x{% else %}none kept{% endfor %} {% for x in missing %}x{% else %}undefined{% endfor %}");
    }

    @Test
    void forUnpacksTuplesAndIteratesDicts() {
        assertRenders("a1b2 xy 37", "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}{{ v }}{% endfor %} {% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %} {% for (a, b) in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}");
    }

    @Test
    void reversedLoopOverSlice() {
        assertRenders("2c 1b 0a ", "{% for m in msgs[::-1] %}{{ (msgs | length - 1) - loop.index0 }}{{ m }} {% endfor %}", "{\"msgs\": [\"a\", \"b\", \"c\"]}");
    }

    @Test
    void nestedLoopsHaveTheirOwnLoopVariable() {
        assertRenders("121;122;", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{% endfor %}{{ loop.index }};{% endfor %}");
    }

    @Test
    void breakAndContinue() {
        assertRenders("0246", "{% for x in range(10) %}{% if x is odd %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}");
    }

    @Test
    void setInsideALoopDoesNotLeak() {
        assertRenders("111,111, 1", "{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 10 %}{{ x }},{% endfor %} {{ x }}");
    }

    @Test
    void setInsideIfLeaks() {
        assertRenders("set", "{% if true %}{% set y = 'set' %}{% endif %}{{ y }}");
    }

    @Test
    void namespaceCarriesValuesOutOfLoops() {
        assertRenders("6 [1, 2, 3]", "{% set ns = namespace(total=0, seen=[]) %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% set ns.seen = ns.seen + [i] %}{% endfor %}{{ ns.total }} {{ ns.seen }}");
    }

    @Test
    void tupleAssignment() {
        assertRenders("1 two (1, 2)", "{% set a, b = 1, 'two' %}{{ a }} {{ b }} {% set t = 1, 2 %}{{ t }}");
    }

    @Test
    void blockSetCapturesOutput() {
        assertRenders("[HELLO BOB][  x\n]", "{% set greeting | upper %}hello {{ name }}{% endset %}{% set plain %}\n  x\n{% endset %}[{{ greeting }}][{{ plain }}]", "{\"name\": \"bob\"}");
    }

    @Test
    void macrosWithDefaultsAndKeywords() {
        assertRenders("<a=v><b=c><d:v><e=f>", "{% macro tag(name, value='v', sep='=') %}<{{ name }}{{ sep }}{{ value }}>{% endmacro %}{{ tag('a') }}{{ tag('b', 'c') }}{{ tag('d', sep=':') }}{{ tag(value='f', name='e') }}");
    }

    @Test
    void macroVarargsKwargsAndMissingArguments() {
        assertRenders("[1||()|{}][1|2|(3,)|{'x': 4}]", "{% macro m(a, b) %}[{{ a }}|{{ b }}|{{ varargs }}|{{ kwargs }}]{% endmacro %}{{ m(1) }}{{ m(1, 2, 3, x=4) }}");
    }

    @Test
    void macrosSeeTheirDefiningScopeAndRecurse() {
        assertRenders(">3>2>1>0", "{% set prefix = '>' %}{% macro countdown(n) %}{{ prefix }}{{ n }}{% if n > 0 %}{{ countdown(n - 1) }}{% endif %}{% endmacro %}{{ countdown(3) }}");
    }

    @Test
    void macroOutputIsAString() {
        assertRenders("[x] 5", "{% macro m() %}  x  {% endmacro %}[{{ m() | trim }}] {{ m() | length }}");
    }

    @Test
    void callBlockPassesCaller() {
        assertRenders("<b>bold 2</b>", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 + 1 }}{% endcall %}");
    }

    @Test
    void callBlockWithArguments() {
        assertRenders("1a;2b;", "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) each(['a', 'b']) %}{{ n }}{{ item }};{% endcall %}");
    }

    @Test
    void withBlockScopes() {
        assertRenders("inner outer outer", "{% set a = 'outer' %}{% with a = 'inner', b = a %}{{ a }} {{ b }}{% endwith %} {{ a }}");
    }

    @Test
    void generationTagRendersItsBody() {
        assertRenders("[q]a", "{% for m in msgs %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}[{{ m.content }}]{% endif %}{% endfor %}", "{\"msgs\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}");
    }

    @Test
    void recursiveLoop() {
        assertRenders("a(bc(d))e", "{% for node in tree recursive %}{{ node.name }}{% if node.children %}({{ loop(node.children) }}){% endif %}{% endfor %}", "{\"tree\": [{\"name\": \"a\", \"children\": [{\"name\": \"b\"}, {\"name\": \"c\", \"children\": [{\"name\": \"d\"}]}]}, {\"name\": \"e\"}]}");
    }

    @Test
    void printStatement() {
        assertRenders("p1", "{% print 'p' ~ 1 %}");
    }

    @Test
    void whitespaceControlInsideLoops() {
        assertRenders("a,b,c", "{%- for m in msgs %}\n    {{- m }}\n    {%- if not loop.last %},{% endif %}\n{%- endfor %}", "{\"msgs\": [\"a\", \"b\", \"c\"]}");
    }

    @Test
    void setInALoopIsGoneAfterIt() {
        assertRenders("[]", "{% for x in [1,2,3] %}{% set y = x %}{% endfor %}[{{ y }}]");
    }

    @Test
    void macroDefaultsMayUseEarlierParameters() {
        assertRenders("1113", "{% macro m(a, b=a) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}{{ m(1, b=3) }}");
    }

    @Test
    void macrosDefinedInLoopsSeeTheIteration() {
        assertRenders("12", "{% for x in [1, 2] %}{% macro show() %}{{ x }}{% endmacro %}{{ show() }}{% endfor %}");
    }

    @Test
    void breakLeavesOnlyTheInnerLoop() {
        assertRenders("12", "{% for x in [1, 2] %}{% for y in [3] %}{% break %}{% endfor %}{{ x }}{% endfor %}");
    }

    @Test
    void joinerGlobal() {
        assertRenders("a|b|c", "{% set j = joiner('|') %}{% for x in 'abc' %}{{ j() }}{{ x }}{% endfor %}");
    }
}
