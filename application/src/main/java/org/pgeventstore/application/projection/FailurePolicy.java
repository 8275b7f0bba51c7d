package org.pgeventstore.application.projection;

/** What a projection does with an event its handler still cannot apply after every retry. */
public enum FailurePolicy {
    /**
     * Park the event's stream (the default): the event, and every later event of its stream, wait
     * in the projection's {@link ParkedStreams parking place}, in order, until an operator resumes
     * the stream or skips the event; every other stream goes on. Nothing is skipped unless an
     * operator says so.
     */
    PARK,
    /** Stop the whole projection at the event, status failed, until an operator resumes it after a fix. */
    STOP
}
