package io.riskloop.core.simulate;

import java.time.LocalDate;

/**
 * Parameters of one simulation. The defaults are the reference run of the public handbook
 * (5,000 customers, 10,000 terminals, 183 days from 2018-04-01, radius 5).
 *
 * @param customers number of customers (cards)
 * @param terminals number of terminals
 * @param days      number of simulated days
 * @param startDate first simulated day (UTC)
 * @param radius    a customer can use every terminal closer than this on the 100 x 100 grid
 * @param seed      seed of every random draw: same seed and parameters give byte-identical output
 * @param drift     optional changes of behaviour from a given day on (off by default)
 */
public record SimulationConfig(int customers, int terminals, int days, LocalDate startDate, double radius,
                               long seed, DriftConfig drift) {

    public static final int DEFAULT_CUSTOMERS = 5_000;
    public static final int DEFAULT_TERMINALS = 10_000;
    public static final int DEFAULT_DAYS = 183;
    public static final LocalDate DEFAULT_START = LocalDate.of(2018, 4, 1);
    public static final double DEFAULT_RADIUS = 5.0;
    public static final long DEFAULT_SEED = 0L;

    public SimulationConfig {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be at least 1, was " + customers);
        }
        if (terminals < 1) {
            throw new IllegalArgumentException("terminals must be at least 1, was " + terminals);
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, was " + days);
        }
        if (startDate == null) {
            throw new IllegalArgumentException("startDate is required");
        }
        if (!(radius > 0) || radius > 200) {
            throw new IllegalArgumentException("radius must be in (0, 200], was " + radius);
        }
        if (drift == null) {
            drift = DriftConfig.NONE;
        }
        if (drift.enabled() && drift.fromDay() >= days) {
            throw new IllegalArgumentException(
                    "drift starts on day " + drift.fromDay() + " but the simulation has only " + days + " days (0.."
                            + (days - 1) + ")");
        }
    }

    /** The handbook's reference run. */
    public static SimulationConfig book() {
        return new SimulationConfig(DEFAULT_CUSTOMERS, DEFAULT_TERMINALS, DEFAULT_DAYS, DEFAULT_START,
                DEFAULT_RADIUS, DEFAULT_SEED, DriftConfig.NONE);
    }

    public SimulationConfig withCustomers(int n) {
        return new SimulationConfig(n, terminals, days, startDate, radius, seed, drift);
    }

    public SimulationConfig withTerminals(int n) {
        return new SimulationConfig(customers, n, days, startDate, radius, seed, drift);
    }

    public SimulationConfig withDays(int n) {
        return new SimulationConfig(customers, terminals, n, startDate, radius, seed, drift);
    }

    public SimulationConfig withStartDate(LocalDate d) {
        return new SimulationConfig(customers, terminals, days, d, radius, seed, drift);
    }

    public SimulationConfig withRadius(double r) {
        return new SimulationConfig(customers, terminals, days, startDate, r, seed, drift);
    }

    public SimulationConfig withSeed(long s) {
        return new SimulationConfig(customers, terminals, days, startDate, radius, s, drift);
    }

    public SimulationConfig withDrift(DriftConfig d) {
        return new SimulationConfig(customers, terminals, days, startDate, radius, seed, d);
    }
}
