package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import static dev.cascade.weights.chat.Render.assertRenders;

/**
 * The built-in filters, including Hugging Face's {@code tojson}.
 * The expected strings are what Python's jinja2 renders in Hugging Face's environment.
 */
class FilterTest {
    @Test
    void trimLengthStringCase() {
        assertRenders("x|hi|3|5|5x|abAB|Hello World-Foo (Bar)|Hello world", "{{ '  x  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ [1, 2, 3] | length }}|{{ 'héllo' | count }}|{{ 5 | string ~ 'x' }}|{{ 'aB' | lower }}{{ 'aB' | upper }}|{{ 'hello world-foo (bar)' | title }}|{{ 'hELLO wORLD' | capitalize }}");
    }

    @Test
    void replaceAndJoin() {
        assertRenders("bbb baa 1-2-3 ab x, y", "{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 1) }} {{ [1, 2, 3] | join('-') }} {{ ['a', 'b'] | join }} {{ users | join(', ', attribute='name') }}", "{\"users\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}");
    }

    @Test
    void defaultFilter() {
        assertRenders("d  d None z", "{{ missing | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | d('n') }} {{ 0 | d('z', boolean=true) }}");
    }

    @Test
    void firstLastListReverse() {
        assertRenders("3 2 ['a', 'b', 'c'] [2, 1] cba ['k'] []", "{{ [3, 1, 2] | first }} {{ [3, 1, 2] | last }} {{ 'abc' | list }} {{ [1, 2] | reverse | list }} {{ 'abc' | reverse }} {{ {'k': 1} | list }} [{{ [] | first }}]");
    }

    @Test
    void itemsAndDictsort() {
        assertRenders("[('b', 1), ('a', 2)] [('A', 2), ('b', 1), ('c', 0)] [('b', 1), ('a', 2)] [('b', 1), ('a', 2)]", "{{ {'b': 1, 'a': 2} | items | list }} {{ {'b': 1, 'A': 2, 'c': 0} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value') }} {{ {'b': 1, 'a': 2} | dictsort(reverse=true) }}");
    }

    @Test
    void mapWithAttributeAndFilterName() {
        assertRenders("['user', 'assistant'] AB ['-', '-'] ['a', 'b']", "{{ msgs | map(attribute='role') | list }} {{ ['a', 'b'] | map('upper') | join }} {{ msgs | map(attribute='x', default='-') | list }} {{ [' a ', 'b '] | map('trim') | list }}", "{\"msgs\": [{\"role\": \"user\"}, {\"role\": \"assistant\"}]}");
    }

    @Test
    void selectRejectAndAttrVariants() {
        assertRenders("[1, 3] [2, 4] [1, 'a'] ['a', 'c'] ['b'] 3 [5, 9]", "{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='c') | list }} {{ msgs | rejectattr('role', '==', 'user') | map(attribute='c') | list }} {{ msgs | selectattr('c') | list | length }} {{ [1, 5, 9] | select('>', 4) | list }}", "{\"msgs\": [{\"role\": \"user\", \"c\": \"a\"}, {\"role\": \"assistant\", \"c\": \"b\"}, {\"role\": \"user\", \"c\": \"c\"}]}");
    }

    @Test
    void uniqueSortMinMaxSum() {
        assertRenders("['B', 'a'] ['A', 'a', 'b'] [3, 2, 1] ['A', 'b'] 1 3 B 3.5 5 [2, 3]", "{{ ['B', 'a', 'A', 'b'] | unique | list }} {{ ['b', 'A', 'a'] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ ['b', 'A'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ ['B', 'a'] | max }} {{ [1, 2.5] | sum }} {{ items | sum(attribute='n') }} {{ items | sort(attribute='n') | map(attribute='n') | list }}", "{\"items\": [{\"n\": 3}, {\"n\": 2}]}");
    }

    @Test
    void numberFilters() {
        assertRenders("42 3 0 7 3 26 2.5 0.0 2.0 3 2.5", "{{ '42' | int }} {{ '3.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '0x1A' | int(0, 16) }} {{ '2.5' | float }} {{ 'x' | float }} {{ 2 | float }} {{ -3 | abs }} {{ -2.5 | abs }}");
    }

    @Test
    void roundIsPythonsRound() {
        assertRenders("2.0 4.0 3 3.14 2.67 3.0 2.0", "{{ 2.5 | round }} {{ 3.5 | round }} {{ 3 | round }} {{ 3.14159 | round(2) }} {{ 2.675 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(method='floor') }}");
    }

    @Test
    void indentFilter() {
        assertRenders("a\n  b\n\n  c|  a\n  b|a\n  \n  b|a\n> b", "{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}|{{ 'a\\nb' | indent('> ') }}");
    }

    @Test
    void wordcountCenterTruncate() {
        assertRenders("3|  ab  |the...|the quick...|short", "{{ 'one two, three!' | wordcount }}|{{ 'ab' | center(6) }}|{{ 'the quick brown fox jumps' | truncate(12) }}|{{ 'the quick brown fox jumps' | truncate(12, true) }}|{{ 'short' | truncate(12) }}");
    }

    @Test
    void formatFilter() {
        assertRenders("x has 3 kw", "{{ '%s has %d' | format('x', 3) }} {{ '%(a)s' | format(a='kw') }}");
    }

    @Test
    void escapeAndSafe() {
        assertRenders("&lt;a href=&#34;x&#34;&gt;&amp;&#39; &lt;b&gt; <b>", "{{ '<a href=\"x\">&\\'' | e }} {{ '<b>' | escape }} {{ '<b>' | safe }}");
    }

    @Test
    void batchAndAttr() {
        assertRenders("[[1, 2], [3]] [[1, 2], [3, 0]] [] True", "{{ [1, 2, 3] | batch(2) | list }} {{ [1, 2, 3] | batch(2, 0) | list }} [{{ m | attr('role') }}] {{ 'abc' | attr('upper') is callable }}", "{\"m\": {\"role\": \"user\"}}");
    }

    @Test
    void filtersOnUndefinedAreLenient() {
        assertRenders("[][0][][[]][][]", "[{{ missing | trim }}][{{ missing | length }}][{{ missing | join(',') }}][{{ missing | list }}][{{ missing | upper }}][{{ missing | first }}]");
    }

    @Test
    void filterBlockAndChains() {
        assertRenders("4BC 4", "{% filter upper | replace('A', '4') %}abc {{ 'a' }}{% endfilter %}");
    }

    @Test
    void tojsonMatchesPythonJsonDumps() {
        assertRenders("{\"b\": 1, \"a\": [true, null, 1.5, \"é\\\"\\n\"]}", "{{ {'b': 1, 'a': [true, none, 1.5, 'é\"\\n']} | tojson }}");
    }

    @Test
    void tojsonIndentAndSortKeys() {
        assertRenders("{\n  \"a\": [],\n  \"b\": [\n    1,\n    {}\n  ]\n}", "{{ {'b': [1, {}], 'a': []} | tojson(indent=2, sort_keys=true) }}");
    }

    @Test
    void tojsonEnsureAsciiAndSeparators() {
        assertRenders("\"\\u00e9\\ud83d\\ude00\\u007f\" {\"a\":[1,2]} [\n\t1\n]", "{{ 'é😀\\x7f' | tojson(ensure_ascii=true) }} {{ {'a': [1, 2]} | tojson(separators=(',', ':')) }} {{ [1] | tojson(indent='\\t') }}");
    }

    @Test
    void roundWithNegativePrecisionOnInts() {
        assertRenders("12300 0.0 -2.0 1.0", "{{ 12345 | round(-2) }} {{ 0.5 | round }} {{ -2.5 | round }} {{ 1.005 | round(2) }}");
    }

    @Test
    void tojsonKeysAndSpecialCharacters() {
        assertRenders("{\"1\": \"a\", \"null\": \"c\", \"2.5\": \"d\"} \"\\u0000\\u001f \" [1, \"x\"] {\n\"a\": 1\n}", "{{ {1: 'a', none: 'c', 2.5: 'd'} | tojson }} {{ '\\x00\\x1f\\u2028' | tojson }} {{ (1, 'x') | tojson }} {{ {'a': 1} | tojson(indent=0) }}");
    }

    @Test
    void percentFormatFlags() {
        assertRenders("ab   |+51.235e+04A'q'[1, 2]", "{{ '%-5s|' % 'ab' }}{{ '%+d' % 5 }}{{ '%.3e' % 12345.678 }}{{ '%c' % 65 }}{{ '%r' % 'q' }}{{ '%s' % [1, 2] }}");
    }
}
