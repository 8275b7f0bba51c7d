package org.pgeventstore.application.relay;

import java.util.Optional;

/** What the operator's statistics show of the relay: nothing when none is configured. */
@FunctionalInterface
public interface RelayMonitor {

    /** No relay is configured in this instance. */
    RelayMonitor NONE = Optional::empty;

    Optional<RelayStatus> status();
}
