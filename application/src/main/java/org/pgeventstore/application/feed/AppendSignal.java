package org.pgeventstore.application.feed;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up call for whatever reads the feed (projection runners, subscriptions): whoever learns
 * that events were appended (the append in this instance, after its transaction committed, or a
 * notification from another instance) calls {@link #signal()}, and readers waiting in
 * {@link #await} return at once instead of at the end of their polling interval. Signals are never lost between a check and a wait: each one
 * bumps a counter that waiters compare against.
 */
public final class AppendSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private long generation;

    /** Something was appended; wakes every waiting reader. */
    public void signal() {
        lock.lock();
        try {
            generation++;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current generation, to pass to {@link #await}. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a signal newer than {@code seen} arrives or {@code timeout} passes.
     *
     * @return whether a signal arrived
     */
    public boolean await(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = signalled.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

}
