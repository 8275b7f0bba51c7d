package org.pgeventstore.application.projection;

/** What a projection does with an event its handler still cannot apply after every retry. */
public enum FailurePolicy {
    /** Stop at the event, status failed, until an operator resumes it after a fix. Nothing is skipped. */
    STOP,
    /** Record the event in the dead-letter table, skip it and go on. */
    DEAD_LETTER
}
