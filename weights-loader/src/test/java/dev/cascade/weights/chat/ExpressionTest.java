package dev.cascade.weights.chat;

import org.junit.jupiter.api.Test;

import static dev.cascade.weights.chat.Render.assertRenders;

/**
 * Expressions: literals, Python arithmetic and comparison, precedence, truthiness, how values print, attribute and item access, slicing, and the str and dict methods templates call.
 * The expected strings are what Python's jinja2 renders in Hugging Face's environment.
 */
class ExpressionTest {
    @Test
    void stringLiteralsAndEscapes() {
        assertRenders("a'bc\"d\t|\n|é|A|\\", "{{ 'a\\'b' ~ \"c\\\"d\" ~ '\\t|\\n|\\u00e9|\\x41|\\\\' }}");
    }

    @Test
    void adjacentStringLiteralsConcatenate() {
        assertRenders("abc", "{{ 'a' 'b' \"c\" }}");
    }

    @Test
    void integerAndFloatLiterals() {
        assertRenders("1000 31 1500.0 2.5", "{{ 1_000 }} {{ 0x1F }} {{ 1.5e3 }} {{ 2.50 }}");
    }

    @Test
    void arithmeticFollowsPython() {
        assertRenders("3 -4 2 3.5 2.0 1024 0.5 1.5", "{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7.5 % 2 }}");
    }

    @Test
    void precedenceOfOperators() {
        assertRenders("7 9 64 4 5", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 10 - 2 - 3 }}");
    }

    @Test
    void tildeBindsTighterThanPlus() {
        assertRenders("ab1", "{{ 'a' + 'b' ~ 1 }}");
    }

    @Test
    void filterBindsTighterThanArithmetic() {
        assertRenders("axb 1", "{{ 'a' + ' x ' | trim + 'b' }} {{ [1, 2] | length - 1 }}");
    }

    @Test
    void stringConcatenationAndRepetition() {
        assertRenders("abcd ababab --- [1, 1]", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 3 * '-' }} {{ [1] * 2 }}");
    }

    @Test
    void listAndTupleConcatenation() {
        assertRenders("[1, 2, 3] (1, 2)", "{{ [1, 2] + [3] }} {{ (1,) + (2,) }}");
    }

    @Test
    void comparisonsAndChains() {
        assertRenders("True False True True True True True", "{{ 1 < 2 }} {{ 1 < 2 < 2 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }}");
    }

    @Test
    void inAndNotIn() {
        assertRenders("True True True True False", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ 'x' in missing }}");
    }

    @Test
    void andOrReturnOperands() {
        assertRenders("x b |[]", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }}|{{ none or [] }}");
    }

    @Test
    void notBindsLooserThanComparison() {
        assertRenders("True True False", "{{ not 1 == 2 }} {{ not [] }} {{ not 'a' in 'abc' }}");
    }

    @Test
    void conditionalExpression() {
        assertRenders("y n [] b", "{{ 'y' if 1 else 'n' }} {{ 'y' if 0 else 'n' }} [{{ 'y' if 0 }}] {{ 'a' if 0 else 'b' if 1 else 'c' }}");
    }

    @Test
    void truthinessIsPythons() {
        assertRenders("FFFFFFTTTT", "{% for v in [0, 0.0, '', [], {}, none, 1, 'a', [0], {'a': 0}] %}{{ 'T' if v else 'F' }}{% endfor %}");
    }

    @Test
    void printingUsesPythonStr() {
        assertRenders("None True [1, 'a', None, True, 1.5] {'k': 'v', 'n': None} (1,) it's[\"it's\"]", "{{ none }} {{ true }} {{ [1, 'a', none, true, 1.5] }} {{ {'k': 'v', 'n': none} }} {{ (1,) }} {{ 'it\\'s' ~ [\"it's\"] }}");
    }

    @Test
    void floatsPrintLikePythonRepr() {
        assertRenders("0.30000000000000004 1e+16 1000000000000000.0 0.0001 1e-05 0.3333333333333333 -0.0 2.5e-07", "{{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1 / 3 }} {{ -0.0 }} {{ 2.5e-7 }}");
    }

    @Test
    void attributeAndItemAccessAreInterchangeable() {
        assertRenders("user user a b b", "{{ m.role }} {{ m['role'] }} {{ m.tags[0] }} {{ m.tags.1 }} {{ m['tags'][-1] }}", "{\"m\": {\"role\": \"user\", \"tags\": [\"a\", \"b\"]}}");
    }

    @Test
    void missingKeysAreUndefined() {
        assertRenders("[][][] False", "[{{ m.nope }}][{{ m['nope'] }}][{{ m.tags[5] }}] {{ m.nope is defined }}", "{\"m\": {\"tags\": []}}");
    }

    @Test
    void dictMethodsWinOverKeysForAttributeAccess() {
        assertRenders("x [('items', 'x')]", "{{ d['items'] }} {{ d.items() | list }}", "{\"d\": {\"items\": \"x\"}}");
    }

    @Test
    void slicing() {
        assertRenders("olleh ello he lo hlo [2, 3] [4, 3, 2, 1] [] [1, 2, 3]", "{{ s[::-1] }} {{ s[1:] }} {{ s[:2] }} {{ s[-2:] }} {{ s[::2] }} {{ l[1:3] }} {{ l[::-1] }} {{ l[10:] }} {{ l[:-1] }}", "{\"s\": \"hello\", \"l\": [1, 2, 3, 4]}");
    }

    @Test
    void slicingCountsCodePoints() {
        assertRenders("😀é 3 é😀a", "{{ s[1] }}{{ s[-1] }} {{ s | length }} {{ s[::-1] }}", "{\"s\": \"a😀é\"}");
    }

    @Test
    void listAndDictLiterals() {
        assertRenders("[1, [2, 3], {'a': (4, 5)}] 2 2", "{{ [1, [2, 3], {'a': (4, 5)}] }} {{ {'a': 1, 'b': 2}['b'] }} {{ [1, 2,] | length }}");
    }

    @Test
    void trueFalseNoneInBothSpellings() {
        assertRenders("True False True True", "{{ True }} {{ false }} {{ None is none }} {{ none is none }}");
    }

    @Test
    void undefinedPrintsAsEmptyAndConcatenatesWithTilde() {
        assertRenders("[][x]", "[{{ missing }}][{{ missing ~ 'x' }}]");
    }

    @Test
    void callsWithKeywordArguments() {
        assertRenders("1 two", "{% set ns = namespace(a=1, b='two') %}{{ ns.a }} {{ ns.b }}");
    }

    @Test
    void rangeFunction() {
        assertRenders("[0, 1, 2] [1, 5, 9] [5, 3, 1]", "{{ range(3) | list }} {{ range(1, 10, 4) | list }} {{ range(5, 0, -2) | list }}");
    }

    @Test
    void dictFunction() {
        assertRenders("{'a': 1, 'b': 2} {'x': 1}", "{{ dict(a=1, b=2) }} {{ dict([('x', 1)]) }}");
    }

    @Test
    void stringMethods() {
        assertRenders("a b|a|a|a|HELLOhello|Hello World|Hello", "{{ ' a b '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a\\n\\n'.rstrip('\\n') }}|{{ 'Hello'.upper() }}{{ 'Hello'.lower() }}|{{ 'hello wORLD'.title() }}|{{ 'hELLO'.capitalize() }}");
    }

    @Test
    void splitLikePython() {
        assertRenders("['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b c'] ['a b', 'c'] z", "{{ 'a,b,,c'.split(',') }} {{ '  a  b '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a b c'.rsplit(' ', 1) }} {{ 'x</think>y</think>z'.split('</think>')[-1] }}");
    }

    @Test
    void startswithEndswithFindReplace() {
        assertRenders("True True True 1 3 -1 bba 1", "{{ 'abc'.startswith('ab') }} {{ 'abc'.startswith(('x', 'a')) }} {{ 'abc'.endswith('bc') }} {{ 'abcb'.find('b') }} {{ 'abcb'.rfind('b') }} {{ 'abc'.find('z') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ 'a-b'.count('-') }}");
    }

    @Test
    void stringFormatMethod() {
        assertRenders("1 and b xx hi!     a|b  |  c   3.14 00042", "{{ '{} and {}'.format(1, 'b') }} {{ '{0}{0}'.format('x') }} {{ '{name}!'.format(name='hi') }} {{ '{:>5}|{:<3}|{:^5}'.format('a', 'b', 'c') }} {{ '{:.2f}'.format(3.14159) }} {{ '{:05d}'.format(42) }}");
    }

    @Test
    void percentFormatting() {
        assertRenders("a-3 003.1|ab  |ff named 100%", "{{ '%s-%d' % ('a', 3) }} {{ '%05.1f|%-4s|%x' % (3.14159, 'ab', 255) }} {{ '%(n)s' % {'n': 'named'} }} {{ '100%%' % () }}");
    }

    @Test
    void dictMethods() {
        assertRenders("1 None dflt ['a', 'b'] [1, 2] a=1;b=2;", "{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'dflt') }} {{ d.keys() | list }} {{ d.values() | list }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "{\"d\": {\"a\": 1, \"b\": 2}}");
    }

    @Test
    void joinMethodOnStrings() {
        assertRenders("a, b", "{{ ', '.join(['a', 'b']) }}");
    }

    @Test
    void pythonFloatReprEdgeCases() {
        assertRenders("inf 5e-324 1.7976931348623157e+308 123456789012345678 1.4142135623730951 -4.0", "{{ 1e300 * 1e10 }} {{ 5e-324 }} {{ 1.7976931348623157e308 }} {{ 123456789012345678 }} {{ 2 ** 0.5 }} {{ -7.5 // 2 }}");
    }

    @Test
    void equalKeysMergeInDictLiterals() {
        assertRenders("{1: 'c', 2: 'd'}", "{{ {1: 'a', true: 'b', 1.0: 'c', 2: 'd'} }}");
    }

    @Test
    void rangePrintsLikePython() {
        assertRenders("range(0, 3) range(0, 10, 3) 1 [0, 2, 4]", "{{ range(3) }} {{ range(10)[::3] }} {{ range(3)[1] }} {{ range(0, 6, 2) | list }}");
    }

    @Test
    void moreStringMethods() {
        assertRenders("2 4 ('a', '-', 'b-c') ('a-b', '-', 'c') True 5 a 00042 *abc**", "{{ 'Hello World'.count('o') }} {{ 'aaa'.count('') }} {{ 'a-b-c'.partition('-') }} {{ 'a-b-c'.rpartition('-') }} {{ 'abc'.startswith('b', 1) }} {{ 'abcabc'.find('c', 3) }} {{ 'ab'.removesuffix('b') }} {{ '42'.zfill(5) }} {{ 'abc'.center(6, '*') }}");
    }

    @Test
    void pythonWhitespaceIncludesNbsp() {
        assertRenders("['a', 'b', 'c'] [x] ['x\\u200by']", "{{ 'a b\\u00a0c'.split() }} [{{ '\\u00a0x\\u00a0'.strip() }}] {{ 'x\\u200by'.split() }}");
    }

    @Test
    void unicodeCaseMapping() {
        assertRenders("STRASSE σας They'Re Bill'S 3Rd They're", "{{ 'straße'.upper() }} {{ 'ΣΑΣ'.lower() }} {{ 'they\\'re bill\\'s 3rd'.title() }} {{ 'they\\'re' | title }}");
    }
}
