package org.pgeventstore.application.account;

import java.math.BigDecimal;

/** What happened to a bank account: the test aggregate that proves the aggregate seam is generic. */
public sealed interface AccountEvent {

    String accountId();

    record AccountOpened(String accountId, String holder) implements AccountEvent {
    }

    record MoneyDeposited(String accountId, BigDecimal amount) implements AccountEvent {
    }

    record MoneyWithdrawn(String accountId, BigDecimal amount) implements AccountEvent {
    }

    /** The account is closed and {@code payout}, its balance, paid out. */
    record AccountClosed(String accountId, BigDecimal payout) implements AccountEvent {
    }
}
