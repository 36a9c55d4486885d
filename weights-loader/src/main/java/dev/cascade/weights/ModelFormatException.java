package dev.cascade.weights;

import java.nio.file.Path;

/** A model or tokenizer file that cannot be read as what it claims to be. The message names the file. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
