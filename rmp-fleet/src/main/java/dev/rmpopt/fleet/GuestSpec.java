package dev.rmpopt.fleet;

import dev.rmpopt.api.MappingSize;
import dev.rmpopt.kvm.GuestBehaviour;
import java.io.Serializable;

/**
 * What every VM of the fleet does on its host (model §7.8), and the hosts' own writes: the
 * {@link GuestBehaviour} of each host's churn, with 2 MiB backing for every guest.
 *
 * @param acceptFraction             share of its memory an SNP guest accepts
 * @param acceptRampNanos            over how long after launch
 * @param bounceBytes                bounce-buffer bytes an SNP guest shares at launch (whole 4 MiB)
 * @param conversionsPerVmPerHour    page-state changes per SNP guest per hour
 * @param deviceWritesPerSecond      device-emulation writes per VM per second
 * @param snpGuestWritesPerSecond    an SNP guest's own writes per second
 * @param legacyGuestWritesPerSecond a legacy guest's own writes per second
 * @param hostWritesPerSecond        the host's own writes per second
 */
public record GuestSpec(double acceptFraction, long acceptRampNanos, long bounceBytes, double conversionsPerVmPerHour,
                        int deviceWritesPerSecond, int snpGuestWritesPerSecond, int legacyGuestWritesPerSecond,
                        int hostWritesPerSecond) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates, as {@link GuestBehaviour} does. */
    public GuestSpec {
        behaviour(acceptFraction, acceptRampNanos, bounceBytes, conversionsPerVmPerHour, deviceWritesPerSecond,
                snpGuestWritesPerSecond, legacyGuestWritesPerSecond);
        if (hostWritesPerSecond < 0) {
            throw new IllegalArgumentException("write rates are not negative");
        }
    }

    /** This behaviour as the churn takes it; conversions flip 2 MiB blocks. */
    public GuestBehaviour behaviour() {
        return behaviour(acceptFraction, acceptRampNanos, bounceBytes, conversionsPerVmPerHour, deviceWritesPerSecond,
                snpGuestWritesPerSecond, legacyGuestWritesPerSecond);
    }

    private static GuestBehaviour behaviour(double acceptFraction, long acceptRampNanos, long bounceBytes,
                                            double conversionsPerVmPerHour, int deviceWritesPerSecond,
                                            int snpGuestWritesPerSecond, int legacyGuestWritesPerSecond) {
        return new GuestBehaviour(acceptFraction, acceptRampNanos, bounceBytes, conversionsPerVmPerHour, 2L << 20,
                MappingSize.SIZE_2M, MappingSize.SIZE_2M, deviceWritesPerSecond, snpGuestWritesPerSecond,
                legacyGuestWritesPerSecond);
    }
}
