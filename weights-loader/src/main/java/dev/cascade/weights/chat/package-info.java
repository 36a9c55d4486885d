/**
 * Hugging Face chat templates: {@link dev.cascade.weights.chat.ChatTemplate} parses the
 * {@code chat_template} of a tokenizer_config.json and renders conversations
 * ({@link dev.cascade.weights.chat.ChatMessage}) exactly as transformers' apply_chat_template does.
 *
 * <p>It is a small interpreter for the part of Jinja2 chat templates use, written to Jinja's and
 * Python's semantics rather than Java's: {@link dev.cascade.weights.chat.Lexer} (whitespace control,
 * trim_blocks, lstrip_blocks) and {@link dev.cascade.weights.chat.Parser} build records
 * ({@link dev.cascade.weights.chat.Node}, {@link dev.cascade.weights.chat.Expr}), the
 * {@link dev.cascade.weights.chat.Renderer} and {@link dev.cascade.weights.chat.Evaluator} run them,
 * and Python's value rules live in {@code PyValues}, {@code PyStrings}, {@code PyFloats},
 * {@code PyJson} and {@code Operators}. Filters, tests, str/dict methods and global functions each
 * have their own registry class.
 *
 * <p>Conformance is checked case by case against @huggingface/jinja (and Python's jinja2) with the
 * data written by {@code tools/chat-template-compare}.
 */
package dev.cascade.weights.chat;
