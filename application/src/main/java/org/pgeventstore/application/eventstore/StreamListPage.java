package org.pgeventstore.application.eventstore;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing of streams, in the listing's order. {@code next} is the stream to pass as
 * {@code after} for the following page; empty when this page is the last.
 */
public record StreamListPage(List<StreamSummary> streams, Optional<StreamId> next) {

    public StreamListPage {
        streams = List.copyOf(streams);
    }
}
