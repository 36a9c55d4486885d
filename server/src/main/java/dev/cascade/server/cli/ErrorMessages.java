package dev.cascade.server.cli;

import dev.cascade.kernels.cuda.DeviceMemoryException;
import dev.cascade.weights.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one line a user reads. */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static boolean isUserError(Throwable ex) {
        return ex instanceof ModelFormatException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof UnsupportedOperationException
                || ex instanceof DeviceMemoryException || ex instanceof StageFailure;
    }

    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (isUserError(t)) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        return "internal error: " + t;
    }
}
