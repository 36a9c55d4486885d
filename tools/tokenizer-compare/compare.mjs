// Compares Cascade's token ids with @lenml/tokenizers (the tokenizer half of transformers.js) on
// thousands of random and adversarial strings, for every tokenizer.json folder given.
//
//   node compare.mjs [--count N] [--seed S] [--show K] DIR...
//
// Both sides encode with add_special_tokens=false. Cascade runs once per folder
// (`cascade tokenize --jsonl`), so the whole set costs one JVM start. Where Python with Hugging
// Face's own `tokenizers` library is available, its ids are compared too, and they are the
// authority: @lenml/tokenizers differs from it on some inputs.
import { TokenizerLoader } from "@lenml/tokenizers";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");

function parseArgs(argv) {
  const opts = { count: 2000, seed: 1234, show: 5, dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--count") opts.count = Number(argv[++i]);
    else if (a === "--seed") opts.seed = Number(argv[++i]);
    else if (a === "--show") opts.show = Number(argv[++i]);
    else opts.dirs.push(resolve(a));
  }
  if (opts.dirs.length === 0) {
    console.error("usage: node compare.mjs [--count N] [--seed S] [--show K] TOKENIZER_DIR...");
    process.exit(2);
  }
  return opts;
}

// A small seeded generator (mulberry32) so a run can be repeated exactly.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = {
  words: ["the", "The", "THE", "hello", "world", "don't", "I'M", "we'll", "they're", "you've", "it'd",
    "Führer", "naïve", "café", "Cửa", "Việt", "Москва", "привет", "γειά", "日本語", "中文", "한국어",
    "ภาษาไทย", "ខ្មែរ", "עברית", "العربية", "हिन्दी", "discards", "tokenization", "ied", "½", "months"],
  digits: ["0", "7", "12", "123", "1234", "12345", "3333333", "3.14159", "1,000,000", "٣٤", "①"],
  punct: [".", ",", "!", "?", "...", "'", "\"", "''", "(", ")", "[", "]", "{", "}", "-", "--", "—", "_",
    "/", "\\", "@", "#", "$", "%", "^", "&", "*", "+", "=", "<", ">", "|", "~", "`", ":", ";", "’", "“", "”"],
  space: [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", "\u00a0", "\u3000", "\u2028", "\u200b", "\f", "\v"],
  emoji: ["😀", "🦙", "👩‍👩‍👧", "🏳️‍🌈", "👍🏽", "🇯🇵", "❤️", "✨"],
  marks: ["e\u0301", "a\u0308", "\u0301", "ñ", "Å", "ﬁ", "Ⅻ", "ǅ", "ß", "İ", "ı"],
  code: ["def f(x):", "    return x", "if (a && b) {", "}", "</s>", "<s>", "<|endoftext|>", "<unk>", "[INST]",
    "```python", "x = y + 1;", "// comment", "#include <stdio.h>", "\tfoo", "0x1F", "a_b_c", "CamelCase"],
};
const kinds = Object.keys(pieces);

function randomString(next) {
  const len = Math.floor(next() * 12);
  let s = "";
  for (let i = 0; i < len; i++) {
    const r = next();
    if (r < 0.08) {
      // a random code point from the BMP or beyond, skipping surrogates
      let cp = Math.floor(next() * 0x2ffff);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
      s += String.fromCodePoint(cp);
    } else {
      const list = pieces[kinds[Math.floor(next() * kinds.length)]];
      s += list[Math.floor(next() * list.length)];
    }
  }
  return s;
}

function vectorInputs() {
  const inp = join(repo, "..", "shared", "tokenizer-vectors", "ggml-vocab-llama-spm.gguf.inp");
  if (!existsSync(inp)) return [];
  const parts = readFileSync(inp, "utf8").split("\n__ggml_vocab_test__\n");
  parts.pop();
  return parts;
}

function strings(count, seed) {
  const next = rng(seed);
  const out = [...vectorInputs(), "", " ", "  ", "\n", "a", "'s", "'S", " 's", "3333", "  Hello", "Hello  ",
    "\u00a0\u00a0x", "x\u200by"];
  while (out.length < count) out.push(randomString(next));
  return out.slice(0, Math.max(count, out.length));
}

function lenmlIds(dir, inputs) {
  const tokenizerJSON = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8"));
  const cfgPath = join(dir, "tokenizer_config.json");
  const tokenizerConfig = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, "utf8")) : {};
  const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
  return inputs.map((s) => tok.encode(s, { add_special_tokens: false }).join(" "));
}

function writeInputs(inputs, work) {
  const file = join(work, "inputs.jsonl");
  writeFileSync(file, inputs.map((s) => JSON.stringify(s)).join("\n") + "\n");
  return file;
}

function lines(out) {
  const l = out.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l.map((x) => x.trim());
}

// Hugging Face's tokenizers library, or null where Python lacks it.
function hfIds(dir, file) {
  try {
    const out = execFileSync("python3", [join(here, "hf_ids.py"), dir, file],
      { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
    return lines(out);
  } catch {
    return null;
  }
}

function cascadeIds(dir, file) {
  const out = execFileSync(join(repo, "cascade"), ["tokenize", "--model", dir, "--jsonl", file, "--no-special"],
    { encoding: "utf8", maxBuffer: 1 << 30 });
  return lines(out);
}

const opts = parseArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), "tokcmp-"));
const inputs = strings(opts.count, opts.seed);
const totals = { lenml: [0, 0], hf: [0, 0] };
for (const dir of opts.dirs) {
  const file = writeInputs(inputs, work);
  const ours = cascadeIds(dir, file);
  const references = { lenml: lenmlIds(dir, inputs), hf: hfIds(dir, file) };
  for (const [name, theirs] of Object.entries(references)) {
    if (theirs === null) continue;
    if (ours.length !== theirs.length) {
      console.log(`${dir}: cascade printed ${ours.length} lines, ${name} ${theirs.length}`);
      process.exitCode = 1;
      continue;
    }
    let same = 0;
    const diffs = [];
    for (let i = 0; i < inputs.length; i++) {
      if (ours[i] === theirs[i]) same++;
      else if (diffs.length < opts.show) diffs.push(i);
    }
    totals[name][0] += same;
    totals[name][1] += inputs.length;
    console.log(`${dir}: ${same}/${inputs.length} agree with ${name}`);
    for (const i of diffs) {
      console.log(`  input ${JSON.stringify(inputs[i])}\n    cascade: ${ours[i]}\n    ${name}: ${theirs[i]}`);
    }
  }
}
for (const [name, [same, n]] of Object.entries(totals)) {
  if (n > 0) console.log(`total: ${same}/${n} agree with ${name}`);
}
if (totals.hf[1] > 0 && totals.hf[0] !== totals.hf[1]) process.exitCode = 1;
