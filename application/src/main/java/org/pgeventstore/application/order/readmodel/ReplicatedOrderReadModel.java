package org.pgeventstore.application.order.readmodel;

import java.util.Optional;
import java.util.function.Function;
import org.pgeventstore.application.replica.ReplicaRouting;
import org.pgeventstore.domain.order.OrderId;

/**
 * The order read model read from a streaming replica, the primary's when the replica is out of
 * reach ({@link ReplicaRouting}). The replica's rows and checkpoint come from one replayed WAL
 * prefix, so they agree with each other as the primary's do: the replica may trail, never mix.
 */
public final class ReplicatedOrderReadModel implements OrderReadModel {

    private final OrderReadModel primary;
    private final OrderReadModel replica;
    private final ReplicaRouting routing;

    public ReplicatedOrderReadModel(OrderReadModel primary, OrderReadModel replica, ReplicaRouting routing) {
        this.primary = primary;
        this.replica = replica;
        this.routing = routing;
    }

    @Override
    public OrderListPage list(OrderListQuery query) {
        return read(model -> model.list(query));
    }

    @Override
    public Optional<OrderRow> find(OrderId orderId) {
        return read(model -> model.find(orderId));
    }

    @Override
    public long appliedPosition() {
        return read(OrderReadModel::appliedPosition);
    }

    @Override
    public OrderReadModel reflecting(long position) {
        return routing.read(primary, replica, position, () -> replica.appliedPosition() >= position,
                chosen -> chosen == replica ? this : primary);
    }

    private <R> R read(Function<OrderReadModel, R> read) {
        return routing.read(primary, replica, 0, () -> true, read);
    }
}
