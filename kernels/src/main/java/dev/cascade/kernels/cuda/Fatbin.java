package dev.cascade.kernels.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an nvcc fatbin we can check without a GPU: a 16-byte header (magic 0xBA55ED50,
 * version, header size, size of what follows) and entries, each a header (kind: 1 PTX, 2 ELF;
 * its own size; the payload's size; the target architecture; flags, 0x2000 when the payload is
 * compressed) followed by its payload. The layout is not documented by NVIDIA; it is what nvcc
 * 12 and 13 write, and this reader refuses anything that does not add up.
 */
public record Fatbin(List<Entry> entries) {
    public static final int MAGIC = 0xBA55ED50;
    private static final long COMPRESSED = 0x2000;

    public enum Kind { PTX, ELF }

    /** One embedded image: SASS for one architecture (ELF) or PTX for a virtual one. */
    public record Entry(Kind kind, int arch, boolean compressed, int payloadOffset, int payloadSize) {
        /** sm_90 for SASS, compute_90 for PTX, as nvcc names them. */
        public String target() {
            return (kind == Kind.ELF ? "sm_" : "compute_") + arch;
        }
    }

    public Fatbin {
        entries = List.copyOf(entries);
    }

    public static Fatbin parse(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 16 || b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException(String.format("not a fatbin: %d bytes, magic 0x%08X (want 0x%08X)",
                    image.length, image.length < 4 ? 0 : b.getInt(0), MAGIC));
        }
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long size = b.getLong(8);
        if (headerSize < 16 || headerSize + size > image.length) {
            throw new IllegalArgumentException("fatbin header says " + headerSize + " + " + size + " bytes; the image has "
                    + image.length);
        }
        List<Entry> entries = new ArrayList<>();
        long end = headerSize + size;
        long at = headerSize;
        while (at < end) {
            if (at + 48 > end) {
                throw new IllegalArgumentException("fatbin entry header at " + at + " runs past the end (" + end + ")");
            }
            int p = (int) at;
            int kindCode = Short.toUnsignedInt(b.getShort(p));
            long entryHeader = Integer.toUnsignedLong(b.getInt(p + 4));
            long payload = b.getLong(p + 8);
            int arch = b.getInt(p + 28);
            long flags = b.getLong(p + 40);
            Kind kind = switch (kindCode) {
                case 1 -> Kind.PTX;
                case 2 -> Kind.ELF;
                default -> throw new IllegalArgumentException("fatbin entry at " + at + " has unknown kind " + kindCode);
            };
            if (entryHeader < 48 || payload < 0 || at + entryHeader + payload > end) {
                throw new IllegalArgumentException("fatbin entry at " + at + " (header " + entryHeader + ", payload " + payload
                        + " bytes) runs past the end (" + end + ")");
            }
            entries.add(new Entry(kind, arch, (flags & COMPRESSED) != 0, (int) (at + entryHeader), (int) payload));
            at += entryHeader + payload;
        }
        return new Fatbin(entries);
    }

    /** The targets of all entries, in order: e.g. [sm_80, sm_86, sm_89, sm_90, compute_90]. */
    public List<String> targets() {
        return entries.stream().map(Entry::target).toList();
    }

    /**
     * Whether an uncompressed entry defines a kernel of this name: in an ELF image, the name as a
     * whole entry of a string table (NUL on both sides, so "rms_norm" is not found inside
     * "add_rms_norm"); in PTX, an ".entry NAME(" line.
     */
    public static boolean defines(byte[] image, Entry e, String kernel) {
        if (e.compressed()) {
            throw new IllegalArgumentException(e.target() + " is compressed; build with nvcc --no-compress");
        }
        byte[] needle = e.kind() == Kind.ELF
                ? ("\0" + kernel + "\0").getBytes(StandardCharsets.US_ASCII)
                : (".entry " + kernel + "(").getBytes(StandardCharsets.US_ASCII);
        int from = e.payloadOffset();
        int to = e.payloadOffset() + e.payloadSize() - needle.length;
        outer:
        for (int i = from; i <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (image[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
