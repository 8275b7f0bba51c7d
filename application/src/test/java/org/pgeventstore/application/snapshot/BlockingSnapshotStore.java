package org.pgeventstore.application.snapshot;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A snapshot store whose saves block until {@link #release()}; reads pass straight through. */
public class BlockingSnapshotStore extends ForwardingSnapshotStore {

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final AtomicInteger saves = new AtomicInteger();

    public BlockingSnapshotStore(SnapshotStore delegate) {
        super(delegate);
    }

    @Override
    public boolean save(Snapshot snapshot) {
        saves.incrementAndGet();
        entered.countDown();
        try {
            released.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return super.save(snapshot);
    }

    /** Whether a save has started blocking within the timeout. */
    public boolean awaitBlocked(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    /** Saves started so far, blocked or released. */
    public int saves() {
        return saves.get();
    }

    /** Lets every blocked and later save through. */
    public void release() {
        released.countDown();
    }
}
