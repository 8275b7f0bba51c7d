package org.pgeventstore.application.account;

import java.math.BigDecimal;

/** A command the account refuses; nothing is appended. */
public sealed class AccountRejection extends RuntimeException {

    AccountRejection(String message) {
        super(message);
    }

    public static final class InsufficientFunds extends AccountRejection {

        InsufficientFunds(String accountId, BigDecimal balance, BigDecimal asked) {
            super("account " + accountId + " holds " + balance + ", less than the " + asked + " asked");
        }
    }

    public static final class NotOpen extends AccountRejection {

        NotOpen(String accountId, BankAccount.Status status) {
            super("account " + accountId + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + ", not open");
        }
    }

    public static final class InvalidAmount extends AccountRejection {

        InvalidAmount(BigDecimal amount) {
            super("an amount must be positive with at most two decimals, was " + amount);
        }
    }
}
