package io.riskloop.core.features;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state-store form of an event window reads back to the same window. */
class EventWindowBytesTest {

    @Property(tries = 300)
    void bytesReadBackToTheSameWindow(@ForAll @Size(max = 80) List<@LongRange(min = -5_000_000_000L, max = 5_000_000_000_000L) Long> times,
                                      @ForAll @Size(max = 80) List<@LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) Long> cents,
                                      @ForAll long seed) {
        EventWindow w = new EventWindow();
        java.util.Random rnd = new java.util.Random(seed);
        int n = Math.min(times.size(), cents.size());
        for (int i = 0; i < n; i++) {
            w.add(times.get(i), cents.get(i), rnd.nextLong());
        }
        if (n > 0 && rnd.nextBoolean()) {
            w.evictBefore(times.get(rnd.nextInt(n)));
        }
        EventWindow back = EventWindow.fromBytes(w.toBytes());
        assertThat(back.size()).isEqualTo(w.size());
        assertThat(back.toBytes()).isEqualTo(w.toBytes());
        long lo = Long.MIN_VALUE / 4;
        long hi = Long.MAX_VALUE / 4;
        assertThat(back.sumCents(back.lowerBound(lo), back.upperBound(hi))).isEqualTo(w.sumCents(w.lowerBound(lo), w.upperBound(hi)));
    }

    @Test
    void fraudFlagsSurvive() {
        EventWindow w = new EventWindow();
        w.add(1000, 500, 7);
        w.add(2000, 700, 8);
        w.label(2000, 8, true);
        EventWindow back = EventWindow.fromBytes(w.toBytes());
        assertThat(back.frauds(back.lowerBound(0), back.upperBound(5000))).isEqualTo(1);
        assertThat(back.label(1000, 7, false)).isTrue();
        assertThatThrownBy(() -> EventWindow.fromBytes(new byte[] {9})).hasMessageContaining("format 9");
    }
}
