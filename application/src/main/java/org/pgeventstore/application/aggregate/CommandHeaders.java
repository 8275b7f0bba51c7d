package org.pgeventstore.application.aggregate;

import java.util.Optional;

/**
 * Who asked for a command, and under which condition: what the {@link CommandRunner} stores in
 * the metadata of the events it appends ({@link EventMetadata}) and checks before it decides.
 */
public interface CommandHeaders {

    /** Ties together everything one request caused; never blank. */
    String correlationId();

    /** The id of the message that caused the command, or null. */
    String causationId();

    /** Who asked, or null. */
    String userId();

    /** The user a trusted caller acts for, or null. */
    String onBehalfOf();

    /** The version the aggregate must be at; empty for none. */
    Optional<VersionCondition> condition();
}
