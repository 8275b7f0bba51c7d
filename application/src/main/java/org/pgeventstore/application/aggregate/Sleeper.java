package org.pgeventstore.application.aggregate;

import java.time.Duration;

/** Waits between retries. Production code sleeps the thread; tests record the pauses instead. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD_SLEEP = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
