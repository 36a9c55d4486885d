package dev.cascade.weights.gguf;

/**
 * Turns GGUF metadata values into the Java objects {@link GgufFile#metadata()} promises:
 * small integers and int32 as Integer, uint32/int64/uint64 as Long, typed primitive arrays.
 */
final class GgufValueReader {
    /** Arrays nest only a level or two in practice; the bound keeps a hostile file from exhausting the stack. */
    private static final int MAX_NESTING = 16;

    private final GgufCursor in;

    GgufValueReader(GgufCursor in) {
        this.in = in;
    }

    GgufValueType type(String key) {
        long id = in.u32("value type of " + key);
        GgufValueType type = GgufValueType.byId(id);
        if (type == null) {
            throw in.error("metadata key " + key + " has unknown value type " + id);
        }
        return type;
    }

    Object value(GgufValueType type, String key) {
        return value(type, key, 0);
    }

    private Object value(GgufValueType type, String key, int depth) {
        String what = "value of " + key;
        return switch (type) {
            case UINT8 -> in.u8(what);
            case INT8 -> (int) in.i8(what);
            case UINT16 -> Short.toUnsignedInt(in.i16(what));
            case INT16 -> (int) in.i16(what);
            case INT32 -> in.i32(what);
            case UINT32 -> in.u32(what);
            case INT64, UINT64 -> in.i64(what);
            case FLOAT32 -> in.f32(what);
            case FLOAT64 -> in.f64(what);
            case BOOL -> bool(what);
            case STRING -> in.string(what);
            case ARRAY -> array(key, depth);
        };
    }

    private boolean bool(String what) {
        int b = in.u8(what);
        if (b > 1) {
            throw in.error(what + " is a bool stored as " + b + " (must be 0 or 1)");
        }
        return b == 1;
    }

    private Object array(String key, int depth) {
        if (depth >= MAX_NESTING) {
            throw in.error("metadata key " + key + " nests arrays deeper than " + MAX_NESTING + " levels");
        }
        GgufValueType element = type(key + " (array element)");
        int n = in.count("array length of " + key, element.minBytes());
        String what = "element of " + key;
        switch (element) {
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.string(what);
                }
                return a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f32(what);
                }
                return a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f64(what);
                }
                return a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = bool(what);
                }
                return a;
            }
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Integer) value(element, key, depth);
                }
                return a;
            }
            case UINT32, INT64, UINT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Long) value(element, key, depth);
                }
                return a;
            }
            case ARRAY -> {
                Object[] a = new Object[n];
                for (int i = 0; i < n; i++) {
                    a[i] = array(key, depth + 1);
                }
                return a;
            }
        }
        throw new AssertionError(element);
    }
}
