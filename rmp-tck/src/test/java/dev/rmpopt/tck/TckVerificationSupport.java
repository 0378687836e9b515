package dev.rmpopt.tck;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs a kit subclass programmatically on the JUnit Platform and reports, per test method, whether
 * it passed, failed (with the failure's message) or was skipped (with the reason): how the tests
 * of the kit see what a backend's build would see. After Reactive Streams' {@code requireTestFailure}.
 */
final class TckVerificationSupport {

    /** The outcome of one kit method. */
    record Outcome(String method, TestExecutionResult.Status status, String message) {
        boolean failed() {
            return status == TestExecutionResult.Status.FAILED;
        }

        boolean skipped() {
            return status == TestExecutionResult.Status.ABORTED || status == null;
        }
    }

    private TckVerificationSupport() {
    }

    /** Runs every test of {@code kit}; the result maps method names to outcomes (skips included). */
    static Map<String, Outcome> run(Class<? extends RmpMachineCompatibilityKit> kit) {
        return run(request().selectors(selectClass(kit)).build());
    }

    /**
     * Runs only the {@code required_} tests of {@code kit}: the default exploration and the
     * concurrent one, with their default budgets, without the optional option sets.
     */
    static Map<String, Outcome> runRequired(Class<? extends RmpMachineCompatibilityKit> kit) {
        List<MethodSelector> selectors = new ArrayList<>();
        for (Method m : RmpMachineCompatibilityKit.class.getMethods()) {
            if (m.getName().startsWith("required_")) {
                selectors.add(selectMethod(kit, m.getName()));
            }
        }
        return run(request().selectors(selectors).build());
    }

    /** Runs only the named test methods of {@code kit}. */
    static Map<String, Outcome> runMethods(Class<? extends RmpMachineCompatibilityKit> kit, String... methods) {
        List<MethodSelector> selectors = new ArrayList<>();
        for (String m : methods) {
            selectors.add(selectMethod(kit, m));
        }
        return run(request().selectors(selectors).build());
    }

    private static Map<String, Outcome> run(LauncherDiscoveryRequest req) {
        Launcher launcher = LauncherFactory.create();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    String msg = result.getThrowable().map(Throwable::getMessage).orElse("");
                    outcomes.put(methodName(id), new Outcome(methodName(id), result.getStatus(), msg));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    outcomes.put(methodName(id), new Outcome(methodName(id), null, reason));
                }
            }
        };
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(req, listener, summary);
        TestExecutionSummary s = summary.getSummary();
        List<String> containerFailures = new ArrayList<>();
        s.getFailures().stream().filter(f -> !f.getTestIdentifier().isTest())
                .forEach(f -> containerFailures.add(f.getException().toString()));
        if (!containerFailures.isEmpty()) {
            throw new AssertionError("the kit itself failed to run: " + containerFailures);
        }
        return outcomes;
    }

    private static String methodName(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                .orElse(id.getDisplayName());
    }
}
