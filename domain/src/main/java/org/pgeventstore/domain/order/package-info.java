/**
 * The Order aggregate: its value types, commands, events, rejections and the pure
 * {@link org.pgeventstore.domain.order.Order#decide decide} /
 * {@link org.pgeventstore.domain.order.Order#evolve evolve} functions.
 *
 * <p>Lifecycle: an order is placed, then paid, shipped and delivered. Items can be added only
 * while it is placed; it can be cancelled while placed or paid, never after shipment.
 *
 * <p>Everything here depends on the JDK alone and never reads the wall clock or generates ids:
 * time arrives as a {@link java.time.Clock}, ids arrive inside commands. Two kinds of failure
 * exist and an adapter should treat them differently:
 * <ul>
 *   <li>{@link org.pgeventstore.domain.order.InvalidOrderData} (an {@link IllegalArgumentException})
 *       when a value or command is malformed; it names the offending field;</li>
 *   <li>{@link org.pgeventstore.domain.order.OrderRejection} (sealed) when a well-formed command
 *       is not allowed by the order's current state.</li>
 * </ul>
 */
package org.pgeventstore.domain.order;
