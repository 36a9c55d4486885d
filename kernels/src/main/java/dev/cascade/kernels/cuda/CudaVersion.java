package dev.cascade.kernels.cuda;

/**
 * A CUDA version, as cuDriverGetVersion encodes it: 1000 · major + 10 · minor (13.0 is 13000).
 * The driver's version is the newest CUDA it supports.
 */
public record CudaVersion(int major, int minor) implements Comparable<CudaVersion> {

    public static CudaVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        try {
            return new CudaVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CUDA version: '" + text + "'");
        }
    }

    public static CudaVersion fromDriverCode(int code) {
        return new CudaVersion(code / 1000, (code % 1000) / 10);
    }

    public int driverCode() {
        return major * 1000 + minor * 10;
    }

    /**
     * The oldest Linux driver branch that runs what this toolkit version builds, for the message
     * that tells a user to update (CUDA's release notes: 13.x needs 580, 12.x 525 with minor-version
     * compatibility, 11.x 450).
     */
    public String minimumLinuxDriver() {
        return switch (major) {
            case 11 -> "450";
            case 12 -> "525";
            case 13 -> "580";
            default -> "one for CUDA " + this;
        };
    }

    @Override
    public int compareTo(CudaVersion o) {
        return Integer.compare(driverCode(), o.driverCode());
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
