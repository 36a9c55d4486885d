package dev.cascade.server.cli;

/**
 * A stage of an offline run (eval, calibrate) that failed on an item, for instance a remote stage
 * that did not answer: the message names the stage, its endpoint and the item, and the command
 * exits with 1 and that one line rather than a stack trace.
 */
final class StageFailure extends RuntimeException {
    StageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
