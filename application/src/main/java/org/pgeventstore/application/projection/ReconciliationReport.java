package org.pgeventstore.application.projection;

import java.util.List;

/**
 * What a check of a read model against the event store found.
 *
 * @param checkpoint the projection's checkpoint when the check started: every row is compared as of at least it
 * @param checked how many of the read model's entities (e.g. orders) were compared
 * @param mismatches the rows that are not what their events say
 */
public record ReconciliationReport(long checkpoint, long checked, List<Mismatch> mismatches) {

    public ReconciliationReport {
        mismatches = List.copyOf(mismatches);
    }

    public boolean consistent() {
        return mismatches.isEmpty();
    }

    /** One row not what its events say: its key (e.g. an order id) and what is wrong with it. */
    public record Mismatch(String key, String problem) {
    }
}
