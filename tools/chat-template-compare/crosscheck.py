"""Second opinion on expected.jsonl: renders every case with Python's jinja2 set up the way
Hugging Face transformers sets it up (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
loopcontrols, the {% generation %} tag, HF's tojson, raise_exception, strftime_now) and reports
the cases where @huggingface/jinja's output differs from it.

    python3 crosscheck.py [EXPECTED_JSONL]

Needs jinja2 (pip install jinja2) and ../../shared for the shared templates.
"""
import json
import sys
from datetime import datetime
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

REPO = Path(__file__).resolve().parents[2]


class GenerationTag(Extension):
    """HF's {% generation %} marker; rendering only needs its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


def template_text(source):
    kind, _, path = source.partition(":")
    if kind == "shared":
        return json.loads((REPO.parent / "shared" / path).read_text(encoding="utf-8"))["chat_template"]
    return (REPO / "weights-loader" / "src" / "test" / "resources" / path).read_text(encoding="utf-8")


def main():
    expected_path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "weights-loader/src/test/resources/chat/expected.jsonl"
    env = environment()
    compiled = {}
    same = differ = 0
    for line in expected_path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        source = case["template_source"]
        if source not in compiled:
            compiled[source] = env.from_string(template_text(source))
        try:
            got = compiled[source].render(
                messages=case["messages"], add_generation_prompt=case["add_generation_prompt"], **case["extra"]
            )
            outcome = ("expected", got)
        except Exception as e:  # noqa: BLE001 - any failure is an outcome to compare
            outcome = ("error", str(e))
        want = ("expected", case["expected"]) if "expected" in case else ("error", case["error"])
        if outcome == want or (outcome[0] == want[0] == "error"):
            same += 1
        else:
            differ += 1
            print(f"DIFF {case['template']} / {case['conversation']} / agp={case['add_generation_prompt']}")
            print(f"  @huggingface/jinja: {want[0]}: {want[1]!r}")
            print(f"  jinja2:             {outcome[0]}: {outcome[1]!r}")
    print(f"{same} agree, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
