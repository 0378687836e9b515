package dev.rmpopt.kernel.files;

/**
 * The kernel's {@code kstrtouint(s, 10, &res)} (lib/kstrtox.c), which configfs stores use: an
 * optional {@code +}, at least one decimal digit, at most one trailing newline, nothing else (no
 * spaces, no minus sign, no {@code 0x}). Overflow is found while the digits are parsed, before
 * trailing characters are looked at, so {@code 99999999999999999999x} is {@code -ERANGE};
 * a value that fits 64 bits but not 32 is {@code -ERANGE} too.
 */
final class Kstrtouint {

    private static final long UINT_MAX = 0xFFFF_FFFFL;

    private Kstrtouint() {
    }

    /**
     * Parses the C string {@code s[0, length)} (the caller has cut it at the first NUL).
     *
     * @return the value (0 to 2^32-1), or {@code -EINVAL} or {@code -ERANGE}
     */
    static long parse(byte[] s, int length) {
        int i = 0;
        if (i < length && s[i] == '+') {
            i++;
        }
        long acc = 0;
        boolean overflow = false;
        int digits = 0;
        while (i < length && s[i] >= '0' && s[i] <= '9') {
            int val = s[i] - '0';
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L - val, 10)) > 0) {
                overflow = true;
            }
            acc = acc * 10 + val;
            digits++;
            i++;
        }
        if (overflow) {
            return -ActionWriteResult.ERANGE;
        }
        if (digits == 0) {
            return -ActionWriteResult.EINVAL;
        }
        if (i < length && s[i] == '\n') {
            i++;
        }
        if (i < length) {
            return -ActionWriteResult.EINVAL;
        }
        if (Long.compareUnsigned(acc, UINT_MAX) > 0) {
            return -ActionWriteResult.ERANGE;
        }
        return acc;
    }
}
