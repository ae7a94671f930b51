package dev.nanolab.tornadovm;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs this module's tests without Maven (the device bundle has no Maven): {@code SelfCheck [Class[#method] ...]},
 * default {@code KernelsTest}. Prints one line per test and a summary; exits 1 when a test failed or none ran.
 * The JVM needs the TornadoVM SDK's flags and {@code -Dtornado.recover.bailout=False}, as surefire gets them.
 */
public final class SelfCheck {
    private SelfCheck() {}

    public static void main(String[] args) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"KernelsTest"} : args) {
            String name = a.contains(".") && !a.contains("#") ? a : a.startsWith("dev.") ? a : "dev.nanolab.tornadovm." + a;
            selectors.add(name.contains("#") ? selectMethod(name) : selectClass(name));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                String why = result.getThrowable().map(t -> ": " + t.toString().lines().findFirst().orElse("")).orElse("");
                System.out.println("selfcheck " + result.getStatus() + " " + id.getDisplayName() + why);
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                System.out.println("selfcheck SKIPPED " + id.getDisplayName() + ": " + reason);
            }
        };
        launcher.execute(request, summary, lines);
        TestExecutionSummary s = summary.getSummary();
        s.printFailuresTo(new PrintWriter(System.out), 20);
        System.out.printf("selfcheck: %d tests, %d passed, %d failed, %d skipped%n", s.getTestsFoundCount(),
                s.getTestsSucceededCount(), s.getTotalFailureCount(), s.getTestsSkippedCount());
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
