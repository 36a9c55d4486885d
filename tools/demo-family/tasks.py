"""The demo task family: short prompts with exact answers and a difficulty knob.

Every item is plain text a person can read:

    Q: copy KXQ          A: KXQ            (easy: 2-6 letters)
    Q: reverse KXQZ      A: ZQXK           (easy: 3-5 letters)
    Q: sort 5281703      A: 0123578        (easy: 3-9 digits)
    Q: 38+47             A: 85             (medium: two digits plus two digits)
    Q: reverse KXQZWBT   A: TBWZQXK        (medium: 6-8 letters)
    Q: 38*47             A: 1786           (hard: two digits times two digits)

The prompt sent to a model is "Q: <question>\nA:" and the expected completion is " <answer>"
followed by EOS. Data letters are upper case and digits are single tokens (see bpe.py), so
every data character is one token and copy/reverse/sort work token by token.

Why this mix (measured, see README): how often a task appears in training decides what a small
model learns as much as its size does; three-digit addition was learnt by the 89K model once it
made half the stream, so the hard tail is now multiplication, whose answer digits depend on every
operand digit, and which the 89K model gets right 7% of the time even at 30% of the stream,
while the easy string tasks get the largest share.

Pure Python (no torch), so the tokenizer check can import it under any interpreter.
"""
import itertools
import json
import random
import string

LETTERS = string.ascii_uppercase
DIFFICULTIES = ("easy", "medium", "hard")
# Share of each difficulty in the evaluation set: the traffic a cascade sees, mostly easy.
EVAL_MIX = {"easy": 0.70, "medium": 0.20, "hard": 0.10}
# Share in the training stream: the hard tail is oversampled because it is what takes learning;
# the easy head is learnt from a small share.
TRAIN_MIX = {"easy": 0.45, "medium": 0.25, "hard": 0.30}
EVAL_SIZE = 2500
EVAL_SEED = 20250101
TRAIN_SEED = 7


def _letters(rng, lo, hi):
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(lo, hi)))


def _digits(rng, lo, hi):
    return "".join(rng.choice(string.digits) for _ in range(rng.randint(lo, hi)))


def _add(rng, a_digits, b_digits):
    lo = lambda d: 0 if d == 1 else 10 ** (d - 1)  # noqa: E731 - exact digit counts, no leading zeros
    a = rng.randint(lo(a_digits), 10 ** a_digits - 1)
    b = rng.randint(lo(b_digits), 10 ** b_digits - 1)
    if rng.random() < 0.5:
        a, b = b, a
    return f"{a}+{b}", str(a + b)


def _mul(rng, a_digits, b_digits):
    a = rng.randint(10 ** (a_digits - 1), 10 ** a_digits - 1)
    b = rng.randint(10 ** (b_digits - 1), 10 ** b_digits - 1)
    return f"{a}*{b}", str(a * b)


def _copy(rng, lo, hi):
    s = _letters(rng, lo, hi)
    return f"copy {s}", s


def _reverse(rng, lo, hi):
    s = _letters(rng, lo, hi)
    return f"reverse {s}", s[::-1]


def _sort(rng, lo, hi):
    s = _digits(rng, lo, hi)
    return f"sort {s}", "".join(sorted(s))


# difficulty -> list of (task name, generator); a difficulty picks its tasks uniformly.
TASKS = {
    "easy": [("copy", lambda r: _copy(r, 2, 6)),
             ("reverse", lambda r: _reverse(r, 3, 5)),
             ("sort", lambda r: _sort(r, 3, 9))],
    "medium": [("add", lambda r: _add(r, 2, 2)),
               ("reverse", lambda r: _reverse(r, 6, 8))],
    "hard": [("mul", lambda r: _mul(r, 2, 2))],
}


def prompt_of(question):
    return f"Q: {question}\nA:"


def make_item(rng, difficulty):
    task, gen = rng.choice(TASKS[difficulty])
    question, answer = gen(rng)
    return {"prompt": prompt_of(question), "answer": " " + answer, "difficulty": difficulty,
            "task": task, "checker": "exact"}


def eval_items(size=EVAL_SIZE, seed=EVAL_SEED):
    """The held-out set: exactly EVAL_MIX of each difficulty, no prompt twice."""
    rng = random.Random(seed)
    items, seen = [], set()
    for difficulty in DIFFICULTIES:
        want = round(size * EVAL_MIX[difficulty])
        count = 0
        while count < want:
            item = make_item(rng, difficulty)
            if item["prompt"] in seen:
                continue
            seen.add(item["prompt"])
            items.append(item)
            count += 1
    rng.shuffle(items)  # difficulties interleaved, as real traffic would be
    for i, item in enumerate(items):
        item["id"] = i
    return [{k: it[k] for k in ("id", "prompt", "answer", "difficulty", "task", "checker")} for it in items]


def train_stream(exclude, seed=TRAIN_SEED):
    """Endless deterministic training items; prompts in `exclude` (the eval set) never appear,
    so evaluation measures generalisation, not recall."""
    rng = random.Random(seed)
    names, weights = list(TRAIN_MIX), list(TRAIN_MIX.values())
    while True:
        item = make_item(rng, rng.choices(names, weights)[0])
        if item["prompt"] not in exclude:
            yield item


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


if __name__ == "__main__":
    # python3 tools/demo-family/tasks.py           a few items of each kind
    # python3 tools/demo-family/tasks.py --train N  the first N training-stream items, as JSON lines
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--train":
        held_out = {it["prompt"] for it in eval_items()}
        for it in itertools.islice(train_stream(held_out), int(sys.argv[2])):
            print(json.dumps(it))
    else:
        r = random.Random(1)
        for d in DIFFICULTIES:
            for _ in range(4):
                it = make_item(r, d)
                print(f"{d:6} {it['prompt']!r} -> {it['answer']!r}")
