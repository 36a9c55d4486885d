package dev.cascade.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fatbin reader on images made here, so it is tested where no nvcc is installed too. */
class FatbinTest {

    /** A fatbin of one ELF entry (arch 90) whose string table holds the given names, and one PTX entry. */
    static byte[] image(String... names) {
        StringBuilder strtab = new StringBuilder("\u007fELF\0.text\0");
        StringBuilder ptx = new StringBuilder(".version 9.0\n.target sm_90\n");
        for (String n : names) {
            strtab.append(n).append('\0');
            ptx.append(".visible .entry ").append(n).append("(\n)\n{\n}\n");
        }
        byte[] elf = strtab.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] text = ptx.toString().getBytes(StandardCharsets.US_ASCII);
        int size = 64 + elf.length + 64 + text.length;
        ByteBuffer b = ByteBuffer.allocate(16 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Fatbin.MAGIC).putShort((short) 1).putShort((short) 16).putLong(size);
        entryHeader(b, 2, elf.length, 90);
        b.put(elf);
        entryHeader(b, 1, text.length, 90);
        b.put(text);
        return b.array();
    }

    private static void entryHeader(ByteBuffer b, int kind, int payload, int arch) {
        int start = b.position();
        b.putShort((short) kind).putShort((short) 0x101).putInt(64).putLong(payload);
        b.putInt(start + 28, arch);
        b.putLong(start + 40, 0x11);
        b.position(start + 64);
    }

    @Test
    void readsEntriesAndTheirTargets() {
        byte[] bytes = image("rms_norm", "add_rms_norm");
        Fatbin f = Fatbin.parse(bytes);
        assertEquals(List.of("sm_90", "compute_90"), f.targets());
        for (Fatbin.Entry e : f.entries()) {
            assertFalse(e.compressed());
            assertTrue(Fatbin.defines(bytes, e, "rms_norm"), e.target());
            assertTrue(Fatbin.defines(bytes, e, "add_rms_norm"), e.target());
            assertFalse(Fatbin.defines(bytes, e, "norm"), "a name inside another is not a definition");
            assertFalse(Fatbin.defines(bytes, e, "silu_mul"), e.target());
        }
    }

    @Test
    void aNameOnlyInAnotherEntryIsNotFound() {
        byte[] bytes = image("rope");
        Fatbin f = Fatbin.parse(bytes);
        byte[] other = image("write_kv");
        assertFalse(Fatbin.defines(bytes, f.entries().getFirst(), "write_kv"));
        assertTrue(Fatbin.defines(other, Fatbin.parse(other).entries().getFirst(), "write_kv"));
    }

    @Test
    void refusesWhatIsNotAFatbin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fatbin.parse("\u007fELF and more bytes".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        byte[] truncated = image("rope");
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 10);
        assertThrows(IllegalArgumentException.class, () -> Fatbin.parse(cut));
    }

    @Test
    void cudaVersionsCompareAsTheDriverCodesThem() {
        assertEquals(new CudaVersion(13, 0), CudaVersion.parse("13.0"));
        assertEquals(new CudaVersion(12, 4), CudaVersion.fromDriverCode(12040));
        assertEquals(13000, CudaVersion.parse("13.0").driverCode());
        assertTrue(CudaVersion.fromDriverCode(12080).compareTo(CudaVersion.parse("13.0")) < 0);
        assertEquals("580", CudaVersion.parse("13.0").minimumLinuxDriver());
    }
}
