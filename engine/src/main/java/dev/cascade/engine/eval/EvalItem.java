package dev.cascade.engine.eval;

/**
 * One labelled prompt of an evaluation set (a line of a JSONL file).
 *
 * @param id         the item's id in its file (its line number when the file has none)
 * @param prompt     the text sent to the model as a plain completion prompt
 * @param answer     the expected completion
 * @param difficulty a label to group accuracy by (easy, medium, hard in the demo set)
 * @param checker    how to compare the completion with the answer (see {@link Checkers})
 */
public record EvalItem(int id, String prompt, String answer, String difficulty, String checker) {
}
