package dev.rmpopt.bench;

import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;

/** Machines as the kernel leaves them after setup (model §7): SNP_INIT done, RMPOPT_BASE = 0 | enable on every primary thread. */
final class BootedMachine {
    private BootedMachine() {
    }

    static SnpMachine of(String backend, HostDescription host, ModelOptions options) {
        SnpMachine machine = RmpBackendProvider.named(backend).create(host, options, RmpEventListener.NONE);
        require(machine.snpInit() == FirmwareStatus.SUCCESS, "SNP_INIT");
        for (int cpu : host.topology().primaryThreads()) {
            require(machine.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE) == WrmsrResult.WRITTEN, "WRMSR");
        }
        return machine;
    }

    /** Fails the benchmark's setup when the state it measures was not reached. */
    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark setup failed: " + what);
        }
    }
}
