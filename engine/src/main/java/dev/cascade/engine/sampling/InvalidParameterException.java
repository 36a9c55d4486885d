package dev.cascade.engine.sampling;

/** A request parameter out of range; {@link #param()} names it so an API can say which. */
public class InvalidParameterException extends IllegalArgumentException {
    private final String param;

    public InvalidParameterException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
