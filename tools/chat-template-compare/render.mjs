// Renders every chat template over the fixed conversations with @huggingface/jinja and writes
// one JSON object per (template, conversation, add_generation_prompt) to expected.jsonl, the test
// data Cascade's ChatTemplateConformanceTest compares its own interpreter against byte for byte.
//
//   node render.mjs [--shared DIR] [--out FILE]
//
// Templates come from DIR/*/tokenizer_config.json (field chat_template; folders without one are
// skipped) and from weights-loader/src/test/resources/chat/templates/*.jinja.
import { Template } from "@huggingface/jinja";
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { conversations } from "./conversations.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const resources = join(repo, "weights-loader", "src", "test", "resources", "chat");

function parseArgs(argv) {
  const opts = { shared: resolve(repo, "..", "shared", "tokenizers"), out: join(resources, "expected.jsonl") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--shared") opts.shared = resolve(argv[++i]);
    else if (argv[i] === "--out") opts.out = resolve(argv[++i]);
    else {
      console.error("usage: node render.mjs [--shared TOKENIZERS_DIR] [--out FILE]");
      process.exit(2);
    }
  }
  return opts;
}

// A special token in tokenizer_config.json is either a string or an AddedToken object.
function tokenText(token) {
  if (token == null) return undefined;
  return typeof token === "string" ? token : token.content;
}

// Each template: a name, where the test finds its source, the source and the special tokens.
function loadTemplates(sharedDir) {
  const templates = [];
  if (existsSync(sharedDir)) {
    for (const folder of readdirSync(sharedDir).sort()) {
      const configPath = join(sharedDir, folder, "tokenizer_config.json");
      if (!existsSync(configPath)) continue;
      const config = JSON.parse(readFileSync(configPath, "utf8"));
      if (typeof config.chat_template !== "string") continue;
      const tokens = {};
      for (const key of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
        const text = tokenText(config[key]);
        if (text !== undefined) tokens[key] = text;
      }
      templates.push({ name: folder, source: `shared:tokenizers/${folder}/tokenizer_config.json`, text: config.chat_template, tokens });
    }
  } else {
    console.error(`warning: ${sharedDir} is absent; only the resource templates are rendered`);
  }
  const templateDir = join(resources, "templates");
  for (const file of readdirSync(templateDir).filter((f) => f.endsWith(".jinja")).sort()) {
    templates.push({
      name: file.replace(/\.jinja$/, ""),
      source: `resource:chat/templates/${file}`,
      text: readFileSync(join(templateDir, file), "utf8"),
      tokens: { bos_token: "<s>", eos_token: "</s>" },
    });
  }
  return templates;
}

const opts = parseArgs(process.argv.slice(2));
const lines = [];
let errors = 0;
for (const template of loadTemplates(opts.shared)) {
  const compiled = new Template(template.text);
  for (const conversation of conversations) {
    for (const addGenerationPrompt of [false, true]) {
      const extra = { ...template.tokens, ...(conversation.extra ?? {}) };
      const record = {
        template: template.name,
        template_source: template.source,
        conversation: conversation.name,
        add_generation_prompt: addGenerationPrompt,
        messages: conversation.messages,
        extra,
      };
      try {
        // structuredClone: the renderer must not see objects shared between cases.
        record.expected = compiled.render(
          structuredClone({ messages: conversation.messages, add_generation_prompt: addGenerationPrompt, ...extra }),
        );
      } catch (e) {
        // Templates refuse some conversations with raise_exception; the message is the expectation.
        record.error = String(e.message ?? e);
        errors++;
      }
      lines.push(JSON.stringify(record));
    }
  }
}
writeFileSync(opts.out, lines.join("\n") + "\n");
console.log(`wrote ${lines.length} cases (${errors} expected errors) to ${relative(process.cwd(), opts.out)}`);
