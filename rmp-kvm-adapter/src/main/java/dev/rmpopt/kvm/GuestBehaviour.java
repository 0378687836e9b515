package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import java.util.Objects;

/**
 * What every VM of a churn does while it runs (model §7.8): how SNP guests accept memory and
 * convert it, which pages back guests, and how often device emulation and the guests write.
 *
 * @param acceptFraction            share of its memory (below the bounce area) an SNP guest accepts, 0 to 1
 * @param acceptRampNanos           over how long after launch it accepts that share, at an even pace
 * @param sharedBounceBytes         bytes (whole 4 MiB chunks) at the top of an SNP guest's memory it
 *                                  converts back to shared at launch, where device emulation writes
 * @param conversionsPerVmPerHour   page-state changes over a guest's life: each second each SNP guest
 *                                  flips, with probability this / 3600, one random block of
 *                                  {@code conversionBytes} (private becomes shared, shared private); 0 for none
 * @param conversionBytes           the block a conversion flips, whole 2 MiB pages
 * @param snpBacking                host pages backing SNP guests: 4 KiB or 2 MiB
 * @param legacyBacking             host pages backing legacy guests: 4 KiB, 2 MiB or 1 GiB
 * @param deviceWritesPerSecond     device-emulation writes per VM per second (an SNP guest's land in its bounce area)
 * @param snpGuestWritesPerSecond   an SNP guest's own writes per second, into its private memory (always checked)
 * @param legacyGuestWritesPerSecond a legacy guest's own writes per second
 */
public record GuestBehaviour(double acceptFraction, long acceptRampNanos, long sharedBounceBytes,
                             double conversionsPerVmPerHour, long conversionBytes, MappingSize snpBacking,
                             MappingSize legacyBacking, int deviceWritesPerSecond, int snpGuestWritesPerSecond,
                             int legacyGuestWritesPerSecond) {

    /** Validates ranges. */
    public GuestBehaviour {
        Objects.requireNonNull(snpBacking, "snpBacking");
        Objects.requireNonNull(legacyBacking, "legacyBacking");
        if (!(acceptFraction >= 0 && acceptFraction <= 1)) {
            throw new IllegalArgumentException("the accepted share is between 0 and 1, not " + acceptFraction);
        }
        if (acceptRampNanos <= 0) {
            throw new IllegalArgumentException("the acceptance ramp must be positive");
        }
        if (sharedBounceBytes < 0 || sharedBounceBytes % LazyAcceptance.CHUNK_BYTES != 0) {
            throw new IllegalArgumentException("the bounce area is whole 4 MiB chunks, not " + sharedBounceBytes);
        }
        if (!(conversionsPerVmPerHour >= 0 && conversionsPerVmPerHour <= 3600)) {
            throw new IllegalArgumentException("conversions per VM per hour are between 0 and 3600, not " + conversionsPerVmPerHour);
        }
        if (conversionBytes <= 0 || conversionBytes % Geometry.PAGE_2M != 0) {
            throw new IllegalArgumentException("a conversion block is whole 2 MiB pages, not " + conversionBytes);
        }
        if (snpBacking == MappingSize.SIZE_1G) {
            throw new IllegalArgumentException("SNP guest memory is backed by 4 KiB or 2 MiB pages");
        }
        if (deviceWritesPerSecond < 0 || snpGuestWritesPerSecond < 0 || legacyGuestWritesPerSecond < 0) {
            throw new IllegalArgumentException("write rates are not negative");
        }
    }
}
