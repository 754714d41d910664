package io.riskloop.core.simulate;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;

import java.time.Instant;

/**
 * A transaction as the simulator emits it, in primitive form so that the book run (1.75 million rows) streams
 * to disk cheaply.
 *
 * @param id          sequence number in time order, from 0
 * @param epochSecond event time in seconds since the epoch (UTC)
 * @param customer    customer (card) number
 * @param terminal    terminal number
 * @param amountCents amount in cents
 * @param scenario    0 = genuine; 1, 2, 3 = the handbook's fraud scenarios; 4 = the card-testing drift pattern
 */
public record SimulatedTransaction(long id, long epochSecond, int customer, int terminal, long amountCents,
                                   int scenario) {

    public boolean fraud() {
        return scenario != 0;
    }

    public LabeledTransaction toLabeled() {
        Transaction tx = new Transaction(Long.toString(id), Instant.ofEpochSecond(epochSecond),
                Integer.toString(customer), Integer.toString(terminal), amountCents / 100.0);
        return new LabeledTransaction(tx, fraud(), scenario);
    }
}
