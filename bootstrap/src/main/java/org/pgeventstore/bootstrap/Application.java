package org.pgeventstore.bootstrap;

import io.micronaut.runtime.Micronaut;

/** Starts the event store service. See README.md for configuration. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
