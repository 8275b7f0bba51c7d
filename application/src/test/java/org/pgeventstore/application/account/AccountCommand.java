package org.pgeventstore.application.account;

import java.math.BigDecimal;

/** What a client asks of a bank account. */
public sealed interface AccountCommand {

    String accountId();

    /** The name stored in the metadata of the events the command appends. */
    default String name() {
        return getClass().getSimpleName();
    }

    record Open(String accountId, String holder) implements AccountCommand {
    }

    record Deposit(String accountId, BigDecimal amount) implements AccountCommand {
    }

    record Withdraw(String accountId, BigDecimal amount) implements AccountCommand {
    }

    record Close(String accountId) implements AccountCommand {
    }
}
