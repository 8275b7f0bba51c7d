package org.pgeventstore.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs a fixed number of clients, each on its own thread, in a closed loop: warm-up first
 * (not recorded), then the measured run. An operation counts if it started in the measured
 * run; the run's length is taken up to the last such operation's end, so that operations
 * still in flight at the deadline are neither lost nor given free time.
 */
final class LoadDriver {

    /** One client's operation. Returns how many events (or items) the operation handled. */
    @FunctionalInterface
    interface Operation {
        long run() throws Exception;
    }

    /** Makes the operation of client {@code index} (0-based); called before the run starts. */
    @FunctionalInterface
    interface Clients {
        Operation client(int index) throws Exception;
    }

    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    private LoadDriver() {
    }

    static Measurement run(int clients, Duration warmup, Duration measure, Clients factory) throws Exception {
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            operations.add(factory.client(i));
        }
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<ClientRun> runs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < clients; i++) {
            ClientRun run = new ClientRun(operations.get(i));
            runs.add(run);
            Thread thread = Thread.ofPlatform().name("bench-client-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                run.loop(window[0], window[1]);
            });
            threads.add(thread);
        }
        ready.await();
        long start = System.nanoTime();
        window[0] = start + warmup.toNanos();
        window[1] = window[0] + measure.toNanos();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        long operationsDone = 0;
        long events = 0;
        long errors = 0;
        long lastEnd = window[0];
        String firstError = null;
        for (ClientRun run : runs) {
            latency.add(run.latency);
            operationsDone += run.operations;
            events += run.events;
            errors += run.errors;
            lastEnd = Math.max(lastEnd, run.lastEnd);
            if (firstError == null && run.firstError.get() != null) {
                firstError = run.firstError.get();
            }
        }
        double seconds = (lastEnd - window[0]) / 1e9;
        return new Measurement(clients, seconds, operationsDone, events, errors, firstError, latency);
    }

    /**
     * One client running {@code operation} back to back, for the single-client cases whose
     * operations are long (loads of big orders): at least {@code minOperations} measured
     * operations even when they outlast {@code measure}.
     */
    static Measurement repeat(int warmupOperations, Duration measure, int minOperations, Operation operation)
            throws Exception {
        for (int i = 0; i < warmupOperations; i++) {
            operation.run();
        }
        Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        long events = 0;
        long operations = 0;
        long start = System.nanoTime();
        long deadline = start + measure.toNanos();
        long now = start;
        while (now < deadline || operations < minOperations) {
            long begin = System.nanoTime();
            events += operation.run();
            now = System.nanoTime();
            latency.recordValue(Math.min(now - begin, HIGHEST_NANOS));
            operations++;
        }
        return new Measurement(1, (now - start) / 1e9, operations, events, 0, null, latency);
    }

    private static final class ClientRun {
        private final Operation operation;
        private final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private long operations;
        private long events;
        private long errors;
        private long lastEnd;

        ClientRun(Operation operation) {
            this.operation = operation;
        }

        void loop(long measureFrom, long measureUntil) {
            while (true) {
                long begin = System.nanoTime();
                if (begin >= measureUntil) {
                    return;
                }
                long handled;
                try {
                    handled = operation.run();
                } catch (Exception e) {
                    if (begin >= measureFrom) {
                        errors++;
                    }
                    firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                    continue;
                }
                long end = System.nanoTime();
                if (begin >= measureFrom) {
                    latency.recordValue(Math.min(end - begin, HIGHEST_NANOS));
                    operations++;
                    events += handled;
                    lastEnd = end;
                }
            }
        }
    }
}
