package io.riskloop.core.simulate;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * The handbook's transaction simulator (reference-benchmark.md, section 1), streaming day by day.
 *
 * <p>Memory is independent of the number of days: scenario 3 (compromised cards) needs the 14 days that
 * follow a compromise before it can pick its frauds, so the simulator keeps a ring of 14 days and emits a day
 * once the last compromise that can touch it has been resolved. Output is sorted by time (ties in generation
 * order) and numbered from 0.
 *
 * <p>Randomness comes from three seeded streams (profiles, transactions, frauds), so the same seed and
 * parameters give the same output on every run and machine.
 */
public final class Simulator {

    /** Called after each emitted day. */
    @FunctionalInterface
    public interface Progress {
        void dayDone(int daysDone, int days, long transactionsSoFar);

        Progress NONE = (d, n, t) -> { };
    }

    static final int SECONDS_PER_DAY = 86_400;
    static final int TERMINAL_COMPROMISE_DAYS = 28;
    static final int CARD_COMPROMISE_DAYS = 14;
    static final long SCENARIO1_THRESHOLD_CENTS = 22_000;

    private final SimulationConfig config;

    public Simulator(SimulationConfig config) {
        this.config = config;
    }

    public SimulationConfig config() {
        return config;
    }

    /** The transactions of the days before {@code day} (UTC), with their labels: what a first model learns from. */
    public java.util.List<io.riskloop.core.domain.LabeledTransaction> before(java.time.LocalDate day) {
        long cut = day.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        java.util.List<io.riskloop.core.domain.LabeledTransaction> rows = new java.util.ArrayList<>();
        run(t -> {
            if (t.epochSecond() < cut) {
                rows.add(t.toLabeled());
            }
        }, Progress.NONE);
        return rows;
    }

    /** Runs the simulation, handing every transaction to {@code sink} in time order. */
    public SimulationSummary run(Consumer<SimulatedTransaction> sink, Progress progress) {
        return new Run(config, sink, progress).execute();
    }

    /** One execution: all mutable state lives here, so a Simulator can be run repeatedly. */
    private static final class Run {
        private final SimulationConfig cfg;
        private final Consumer<SimulatedTransaction> sink;
        private final Progress progress;
        private final UniformRandomProvider txRng;
        private final UniformRandomProvider fraudRng;
        private final ContinuousSampler gaussian;

        // customer profiles
        private final double[] meanAmount;
        private final double[] stdAmount;
        private final DiscreteSampler[] txPerDay;
        private final int[][] availableTerminals;

        // fraud state
        private final int[] terminalCompromisedUntil;
        private final int[][] cardCompromises; // by day: the customers compromised that day
        private final DayBuffer[] ring = new DayBuffer[CARD_COMPROMISE_DAYS];

        private final long startEpochSecond;
        private long nextId;
        private long frauds;
        private final long[] scenarioCounts = new long[5];
        private long defraudedCardDays;
        private final BitSet defraudedToday;

        Run(SimulationConfig cfg, Consumer<SimulatedTransaction> sink, Progress progress) {
            this.cfg = cfg;
            this.sink = sink;
            this.progress = progress;
            UniformRandomProvider profileRng = stream(cfg.seed(), 1);
            this.txRng = stream(cfg.seed(), 2);
            this.fraudRng = stream(cfg.seed(), 3);
            this.gaussian = ZigguratSampler.NormalizedGaussian.of(txRng);

            int nc = cfg.customers();
            double[] cx = new double[nc];
            double[] cy = new double[nc];
            meanAmount = new double[nc];
            stdAmount = new double[nc];
            txPerDay = new DiscreteSampler[nc];
            for (int c = 0; c < nc; c++) {
                cx[c] = 100 * profileRng.nextDouble();
                cy[c] = 100 * profileRng.nextDouble();
                meanAmount[c] = 5 + 95 * profileRng.nextDouble();
                stdAmount[c] = meanAmount[c] / 2;
                double meanTx = 4 * profileRng.nextDouble();
                txPerDay[c] = meanTx > 0 ? PoissonSampler.of(txRng, meanTx) : () -> 0;
            }
            int nt = cfg.terminals();
            double[] tx = new double[nt];
            double[] ty = new double[nt];
            for (int t = 0; t < nt; t++) {
                tx[t] = 100 * profileRng.nextDouble();
                ty[t] = 100 * profileRng.nextDouble();
            }
            availableTerminals = TerminalGrid.withinRadius(cx, cy, tx, ty, cfg.radius());

            terminalCompromisedUntil = new int[nt + DriftConfig.CARD_TESTING_TERMINALS];
            cardCompromises = new int[cfg.days()][];
            for (int i = 0; i < ring.length; i++) {
                ring[i] = new DayBuffer();
            }
            startEpochSecond = cfg.startDate().toEpochDay() * SECONDS_PER_DAY;
            defraudedToday = new BitSet(nc);
        }

        private static UniformRandomProvider stream(long seed, long stream) {
            return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seed, stream * 0x9E3779B97F4A7C15L});
        }

        SimulationSummary execute() {
            int days = cfg.days();
            for (int d = 0; d < days; d++) {
                DayBuffer day = ring[d % CARD_COMPROMISE_DAYS];
                day.clear(d);
                generate(d, day);
                day.sortByTime();
                applyScenario1(day);
                applyScenario2(d, day);
                if (d < days - 1) {
                    cardCompromises[d] = distinct(fraudRng, cfg.customers(), 3);
                }
                int ready = d - (CARD_COMPROMISE_DAYS - 1);
                if (ready >= 0) {
                    resolveCardCompromise(ready);
                    emit(ring[ready % CARD_COMPROMISE_DAYS]);
                }
            }
            for (int c = Math.max(0, days - (CARD_COMPROMISE_DAYS - 1)); c < days; c++) {
                resolveCardCompromise(c);
                emit(ring[c % CARD_COMPROMISE_DAYS]);
            }
            return new SimulationSummary(nextId, frauds, scenarioCounts.clone(), days, defraudedCardDays);
        }

        private void generate(int d, DayBuffer day) {
            DriftConfig drift = cfg.drift();
            double scale = drift.appliesTo(d) ? drift.amountScale() : 1.0;
            for (int c = 0; c < meanAmount.length; c++) {
                int n = txPerDay[c].sample();
                for (int k = 0; k < n; k++) {
                    int second = (int) Math.floor(43_200 + 20_000 * gaussian.sample());
                    if (second <= 0 || second >= SECONDS_PER_DAY) {
                        continue; // dropped, not redrawn, as in the reference
                    }
                    double amount = meanAmount[c] + stdAmount[c] * gaussian.sample();
                    if (amount < 0) {
                        amount = 2 * meanAmount[c] * txRng.nextDouble();
                    }
                    long cents = Math.round(amount * scale * 100);
                    int[] terminals = availableTerminals[c];
                    if (terminals.length == 0) {
                        continue;
                    }
                    day.add(second, c, terminals[txRng.nextInt(terminals.length)], cents, 0);
                }
            }
            if (drift.appliesTo(d)) {
                for (int b = 0; b < drift.cardTestingPerDay(); b++) {
                    int card = txRng.nextInt(cfg.customers());
                    int terminal = cfg.terminals() + txRng.nextInt(DriftConfig.CARD_TESTING_TERMINALS);
                    int start = 1 + txRng.nextInt(SECONDS_PER_DAY - 602);
                    int count = 5 + txRng.nextInt(11);
                    for (int k = 0; k < count; k++) {
                        day.add(start + txRng.nextInt(600), card, terminal, 50 + txRng.nextInt(251), 4);
                    }
                }
            }
        }

        private static void applyScenario1(DayBuffer day) {
            for (int i = 0; i < day.size; i++) {
                if (day.scenario[i] == 0 && day.cents[i] > SCENARIO1_THRESHOLD_CENTS) {
                    day.scenario[i] = 1;
                }
            }
        }

        private void applyScenario2(int d, DayBuffer day) {
            if (d < cfg.days() - 1) {
                for (int t : distinct(fraudRng, cfg.terminals(), 2)) {
                    terminalCompromisedUntil[t] = Math.max(terminalCompromisedUntil[t], d + TERMINAL_COMPROMISE_DAYS);
                }
            }
            for (int i = 0; i < day.size; i++) {
                if (day.scenario[i] != 4 && d < terminalCompromisedUntil[day.terminal[i]]) {
                    day.scenario[i] = 2;
                }
            }
        }

        /** Scenario 3 for the customers compromised on day c: a third of their next 14 days' transactions. */
        private void resolveCardCompromise(int c) {
            int[] customers = cardCompromises[c];
            if (customers == null) {
                return;
            }
            cardCompromises[c] = null;
            int last = Math.min(c + CARD_COMPROMISE_DAYS - 1, cfg.days() - 1);
            int n = 0;
            for (int d = c; d <= last; d++) {
                DayBuffer day = ring[d % CARD_COMPROMISE_DAYS];
                for (int i = 0; i < day.size; i++) {
                    if (day.scenario[i] != 4 && contains(customers, day.customer[i])) {
                        n++;
                    }
                }
            }
            if (n < 3) {
                return;
            }
            // Candidates in time order, encoded as (day offset, index) pairs.
            long[] candidates = new long[n];
            int k = 0;
            for (int d = c; d <= last; d++) {
                DayBuffer day = ring[d % CARD_COMPROMISE_DAYS];
                for (int i = 0; i < day.size; i++) {
                    if (day.scenario[i] != 4 && contains(customers, day.customer[i])) {
                        candidates[k++] = ((long) d << 32) | i;
                    }
                }
            }
            int pick = n / 3;
            for (int j = 0; j < pick; j++) { // partial Fisher-Yates: the first `pick` entries are the sample
                int r = j + fraudRng.nextInt(n - j);
                long tmp = candidates[j];
                candidates[j] = candidates[r];
                candidates[r] = tmp;
                DayBuffer day = ring[(int) (candidates[j] >>> 32) % CARD_COMPROMISE_DAYS];
                int i = (int) candidates[j];
                day.cents[i] *= 5;
                day.scenario[i] = 3;
            }
        }

        private void emit(DayBuffer day) {
            long dayStart = startEpochSecond + (long) day.day * SECONDS_PER_DAY;
            defraudedToday.clear();
            for (int i = 0; i < day.size; i++) {
                int s = day.scenario[i];
                if (s != 0) {
                    frauds++;
                    scenarioCounts[s]++;
                    defraudedToday.set(day.customer[i]);
                }
                sink.accept(new SimulatedTransaction(nextId++, dayStart + day.second[i], day.customer[i],
                        day.terminal[i], day.cents[i], s));
            }
            defraudedCardDays += defraudedToday.cardinality();
            progress.dayDone(day.day + 1, cfg.days(), nextId);
        }

        private static boolean contains(int[] values, int v) {
            for (int x : values) {
                if (x == v) {
                    return true;
                }
            }
            return false;
        }

        /** {@code k} distinct numbers from [0, n), or all of them when n <= k. */
        private static int[] distinct(UniformRandomProvider rng, int n, int k) {
            int m = Math.min(n, k);
            int[] out = new int[m];
            for (int i = 0; i < m; i++) {
                int v;
                do {
                    v = rng.nextInt(n);
                } while (contains(Arrays.copyOf(out, i), v));
                out[i] = v;
            }
            return out;
        }
    }

    /** One day's transactions in columns; reused across days. */
    private static final class DayBuffer {
        int day;
        int size;
        int[] second = new int[16_384];
        int[] customer = new int[16_384];
        int[] terminal = new int[16_384];
        long[] cents = new long[16_384];
        byte[] scenario = new byte[16_384];

        void clear(int d) {
            day = d;
            size = 0;
        }

        void add(int sec, int cust, int term, long amountCents, int scen) {
            if (size == second.length) {
                int n = size * 2;
                second = Arrays.copyOf(second, n);
                customer = Arrays.copyOf(customer, n);
                terminal = Arrays.copyOf(terminal, n);
                cents = Arrays.copyOf(cents, n);
                scenario = Arrays.copyOf(scenario, n);
            }
            second[size] = sec;
            customer[size] = cust;
            terminal[size] = term;
            cents[size] = amountCents;
            scenario[size] = (byte) scen;
            size++;
        }

        /** Stable sort by second of day: ties keep their generation order. */
        void sortByTime() {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = ((long) second[i] << 32) | i;
            }
            Arrays.sort(keys);
            int[] s2 = new int[size];
            int[] c2 = new int[size];
            int[] t2 = new int[size];
            long[] a2 = new long[size];
            byte[] f2 = new byte[size];
            for (int j = 0; j < size; j++) {
                int i = (int) keys[j];
                s2[j] = second[i];
                c2[j] = customer[i];
                t2[j] = terminal[i];
                a2[j] = cents[i];
                f2[j] = scenario[i];
            }
            System.arraycopy(s2, 0, second, 0, size);
            System.arraycopy(c2, 0, customer, 0, size);
            System.arraycopy(t2, 0, terminal, 0, size);
            System.arraycopy(a2, 0, cents, 0, size);
            System.arraycopy(f2, 0, scenario, 0, size);
        }
    }
}
