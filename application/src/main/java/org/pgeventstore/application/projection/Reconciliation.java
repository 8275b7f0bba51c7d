package org.pgeventstore.application.projection;

/**
 * A read model's own check against the event store: each read model knows what its rows should
 * say; the operations around it ({@link ProjectionOperations#reconcile}) are the same for all.
 */
@FunctionalInterface
public interface Reconciliation {

    /** Compares the read model with the events, as of at least the checkpoint it reads first. */
    ReconciliationReport run();
}
