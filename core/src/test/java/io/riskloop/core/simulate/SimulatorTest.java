package io.riskloop.core.simulate;

import io.riskloop.core.dataset.NativeCsvWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulatorTest {

    private static final SimulationConfig SMALL = new SimulationConfig(500, 1000, 60, LocalDate.of(2018, 4, 1), 5,
            42, DriftConfig.NONE);

    private static List<SimulatedTransaction> run(SimulationConfig c) {
        List<SimulatedTransaction> out = new ArrayList<>();
        new Simulator(c).run(out::add, Simulator.Progress.NONE);
        return out;
    }

    private static byte[] csv(SimulationConfig c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NativeCsvWriter w = new NativeCsvWriter(bytes)) {
            new Simulator(c).run(t -> w.writeRow(t.id(), t.epochSecond(), t.customer(), t.terminal(), t.amountCents(),
                    t.scenario()), Simulator.Progress.NONE);
        }
        return bytes.toByteArray();
    }

    @Test
    void sameSeedAndParametersGiveByteIdenticalOutput() throws IOException {
        assertThat(csv(SMALL)).isEqualTo(csv(SMALL));
        assertThat(csv(SMALL)).isNotEqualTo(csv(SMALL.withSeed(43)));
    }

    @Test
    void transactionsAreNumberedInTimeOrderWithinTheirDays() {
        List<SimulatedTransaction> txs = run(SMALL);
        long start = SMALL.startDate().toEpochDay() * 86_400;
        for (int i = 0; i < txs.size(); i++) {
            SimulatedTransaction t = txs.get(i);
            assertThat(t.id()).isEqualTo(i);
            if (i > 0) {
                assertThat(t.epochSecond()).isGreaterThanOrEqualTo(txs.get(i - 1).epochSecond());
            }
            long secondOfDay = (t.epochSecond() - start) % 86_400;
            assertThat(secondOfDay).isBetween(1L, 86_399L);
            assertThat(t.epochSecond()).isLessThan(start + SMALL.days() * 86_400L);
            assertThat(t.amountCents()).isNotNegative();
            assertThat(t.customer()).isBetween(0, SMALL.customers() - 1);
            assertThat(t.terminal()).isBetween(0, SMALL.terminals() - 1);
        }
    }

    @Test
    void fraudScenariosFollowTheirRules() {
        List<SimulatedTransaction> txs = run(SMALL);
        Set<Integer> scenario2Terminals = new HashSet<>();
        Set<Integer> scenario3Cards = new HashSet<>();
        for (SimulatedTransaction t : txs) {
            switch (t.scenario()) {
                case 0 -> assertThat(t.amountCents()).as("a genuine transaction is never above 220").isLessThanOrEqualTo(22_000);
                case 1 -> assertThat(t.amountCents()).isGreaterThan(22_000);
                case 2 -> scenario2Terminals.add(t.terminal());
                case 3 -> scenario3Cards.add(t.customer());
                default -> throw new AssertionError("unexpected scenario " + t.scenario());
            }
        }
        // 2 terminals and 3 cards are compromised per day (day 0 .. last - 1).
        assertThat(scenario2Terminals).isNotEmpty().hasSizeLessThanOrEqualTo(2 * (SMALL.days() - 1));
        assertThat(scenario3Cards).isNotEmpty().hasSizeLessThanOrEqualTo(3 * (SMALL.days() - 1));
    }

    @Test
    void laterScenariosOverrideEarlierOnes() {
        // One terminal within everyone's reach: it is compromised every day, so every transaction is fraud, and
        // scenario 2 overrides scenario 1 while scenario 3 overrides scenario 2.
        List<SimulatedTransaction> txs = run(new SimulationConfig(50, 1, 40, LocalDate.of(2018, 4, 1), 200, 7,
                DriftConfig.NONE));
        assertThat(txs).isNotEmpty().allMatch(SimulatedTransaction::fraud);
        assertThat(txs).extracting(SimulatedTransaction::scenario).containsOnly(2, 3);
        // scenario 3 inflates amounts five-fold, so some of its frauds exceed 220 and still count as scenario 3
        assertThat(txs.stream().filter(t -> t.scenario() == 3)).isNotEmpty();
    }

    @Test
    void theBookRunLandsWithinFivePercentOfTheBook() {
        long[] counts = new long[2];
        SimulationSummary s = new Simulator(SimulationConfig.book()).run(t -> counts[t.fraud() ? 1 : 0]++,
                Simulator.Progress.NONE);
        assertThat(s.transactions()).isEqualTo(counts[0] + counts[1]);
        assertThat(s.frauds()).isEqualTo(counts[1]);
        assertThat((double) s.transactions()).isCloseTo(1_754_155, within(0.05 * 1_754_155));
        assertThat((double) s.frauds()).isCloseTo(14_681, within(0.05 * 14_681));
        assertThat(s.fraudRate()).isCloseTo(0.00837, within(0.05 * 0.00837));
        assertThat(s.scenario(1) + s.scenario(2) + s.scenario(3)).isEqualTo(s.frauds());
    }

    @Test
    void cardTestingDriftAddsSmallFraudBurstsOnNewTerminalsFromItsDay() {
        DriftConfig drift = new DriftConfig(30, 1.0, 4);
        List<SimulatedTransaction> txs = run(SMALL.withDrift(drift));
        long driftStart = (SMALL.startDate().toEpochDay() + 30) * 86_400;
        List<SimulatedTransaction> testing = txs.stream().filter(t -> t.scenario() == 4).toList();
        assertThat(testing).hasSizeBetween(30 * 4 * 5, 30 * 4 * 15);
        assertThat(testing).allSatisfy(t -> {
            assertThat(t.epochSecond()).isGreaterThanOrEqualTo(driftStart);
            assertThat(t.terminal()).isGreaterThanOrEqualTo(SMALL.terminals());
            assertThat(t.amountCents()).isBetween(50L, 300L);
        });
    }

    @Test
    void amountDriftScalesSpendingFromItsDay() {
        List<SimulatedTransaction> txs = run(SMALL.withDrift(new DriftConfig(30, 2.0, 0)));
        long driftStart = (SMALL.startDate().toEpochDay() + 30) * 86_400;
        double before = txs.stream().filter(t -> t.epochSecond() < driftStart && t.scenario() == 0)
                .mapToLong(SimulatedTransaction::amountCents).average().orElseThrow();
        double after = txs.stream().filter(t -> t.epochSecond() >= driftStart && t.scenario() != 3)
                .mapToLong(SimulatedTransaction::amountCents).average().orElseThrow();
        assertThat(after / before).isBetween(1.8, 2.2);
    }

    @Test
    void badParametersAreRefusedWithTheValue() {
        assertThatThrownBy(() -> SMALL.withCustomers(0)).hasMessageContaining("customers must be at least 1, was 0");
        assertThatThrownBy(() -> SMALL.withRadius(-1)).hasMessageContaining("radius");
        assertThatThrownBy(() -> SMALL.withDrift(new DriftConfig(100, 2.0, 0)))
                .hasMessageContaining("drift starts on day 100 but the simulation has only 60 days");
        assertThatThrownBy(() -> new DriftConfig(1, 0, 0)).hasMessageContaining("amount scale");
    }
}
