package dev.cascade.engine.generate;

/**
 * One generated token as it is produced.
 *
 * @param request index of the request in the batch
 * @param token   the token id, or -1 for text released when the sequence ends (bytes of an
 *                unfinished character, or text held back in case it began a stop string)
 * @param text    the text it completes (may be empty while a character or a possible stop string is held back)
 * @param logprob its log-probability under the model
 */
public record TokenEvent(int request, int token, String text, float logprob) {
}
