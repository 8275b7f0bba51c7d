package org.pgeventstore.application.account;

import java.math.BigDecimal;
import java.util.List;
import org.pgeventstore.application.account.AccountCommand.Close;
import org.pgeventstore.application.account.AccountCommand.Deposit;
import org.pgeventstore.application.account.AccountCommand.Open;
import org.pgeventstore.application.account.AccountCommand.Withdraw;
import org.pgeventstore.application.account.AccountEvent.AccountClosed;
import org.pgeventstore.application.account.AccountEvent.AccountOpened;
import org.pgeventstore.application.account.AccountEvent.MoneyDeposited;
import org.pgeventstore.application.account.AccountEvent.MoneyWithdrawn;
import org.pgeventstore.application.aggregate.Decider;

/**
 * A bank account's state, and its decider: the whole of the aggregate's behaviour, pure.
 *
 * @param id the account's id, null before it is opened
 * @param balance never negative, scale 2
 */
public record BankAccount(String id, Status status, String holder, BigDecimal balance) {

    public enum Status { UNOPENED, OPEN, CLOSED }

    static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    public static final Decider<AccountCommand, AccountEvent, BankAccount> DECIDER = new Decider<>() {
        @Override
        public BankAccount initial() {
            return new BankAccount(null, Status.UNOPENED, null, ZERO);
        }

        @Override
        public List<AccountEvent> decide(BankAccount state, AccountCommand command) {
            return BankAccount.decide(state, command);
        }

        @Override
        public BankAccount evolve(BankAccount state, AccountEvent event) {
            return BankAccount.evolve(state, event);
        }
    };

    static List<AccountEvent> decide(BankAccount state, AccountCommand command) {
        return switch (command) {
            case Open open -> {
                if (state.status() != Status.UNOPENED) {
                    throw new AccountRejection.NotOpen(open.accountId(), state.status());
                }
                yield List.of(new AccountOpened(open.accountId(), open.holder()));
            }
            case Deposit deposit -> {
                requireOpen(state, deposit.accountId());
                yield List.of(new MoneyDeposited(deposit.accountId(), amount(deposit.amount())));
            }
            case Withdraw withdraw -> {
                requireOpen(state, withdraw.accountId());
                BigDecimal amount = amount(withdraw.amount());
                if (state.balance().compareTo(amount) < 0) {
                    throw new AccountRejection.InsufficientFunds(withdraw.accountId(), state.balance(), amount);
                }
                yield List.of(new MoneyWithdrawn(withdraw.accountId(), amount));
            }
            case Close close -> {
                requireOpen(state, close.accountId());
                yield List.of(new AccountClosed(close.accountId(), state.balance()));
            }
        };
    }

    static BankAccount evolve(BankAccount state, AccountEvent event) {
        boolean fits = event instanceof AccountOpened ? state.status() == Status.UNOPENED : state.status() == Status.OPEN;
        if (!fits) {
            // The loader reports the stored event as unreadable: it cannot follow the ones before it.
            throw new IllegalStateException(event.getClass().getSimpleName() + " cannot follow an account "
                    + state.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return switch (event) {
            case AccountOpened opened -> new BankAccount(opened.accountId(), Status.OPEN, opened.holder(), ZERO);
            case MoneyDeposited deposited -> state.withBalance(state.balance().add(deposited.amount()));
            case MoneyWithdrawn withdrawn -> state.withBalance(state.balance().subtract(withdrawn.amount()));
            case AccountClosed closed -> new BankAccount(state.id(), Status.CLOSED, state.holder(), ZERO);
        };
    }

    private BankAccount withBalance(BigDecimal balance) {
        return new BankAccount(id, status, holder, balance);
    }

    private static void requireOpen(BankAccount state, String accountId) {
        if (state.status() != Status.OPEN) {
            throw new AccountRejection.NotOpen(accountId, state.status());
        }
    }

    private static BigDecimal amount(BigDecimal amount) {
        if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2) {
            throw new AccountRejection.InvalidAmount(amount);
        }
        return amount.setScale(2);
    }
}
