package io.riskloop.core.drift;

import org.apache.commons.rng.UniformRandomProvider;

import java.util.Arrays;

/**
 * A uniform sample of at most {@code capacity} values of a stream (Vitter's Algorithm R: the i-th value, counting
 * from 0, replaces a random slot with probability capacity / (i + 1)). Written here rather than taken from
 * DataSketches' {@code ReservoirLongsSketch} because that one draws from {@code ThreadLocalRandom} and cannot be
 * seeded; profiles must be reproducible from their seed.
 */
final class Reservoir {

    private final int capacity;
    private final UniformRandomProvider rng;
    private float[] items = new float[16];
    private int size;
    private long seen;

    Reservoir(int capacity, UniformRandomProvider rng) {
        this.capacity = capacity;
        this.rng = rng;
    }

    void add(float v) {
        if (size < capacity) {
            if (size == items.length) {
                items = Arrays.copyOf(items, (int) Math.min(capacity, 2L * items.length));
            }
            items[size++] = v;
        } else {
            long j = rng.nextLong(seen + 1);
            if (j < capacity) {
                items[(int) j] = v;
            }
        }
        seen++;
    }

    int size() {
        return size;
    }

    long seen() {
        return seen;
    }

    float[] toArray() {
        return Arrays.copyOf(items, size);
    }

    /** {@code n} of the retained values chosen uniformly without replacement (a partial Fisher-Yates shuffle). */
    float[] subsample(int n, UniformRandomProvider random) {
        float[] copy = toArray();
        int take = Math.min(n, size);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(size - i);
            float t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return Arrays.copyOf(copy, take);
    }
}
