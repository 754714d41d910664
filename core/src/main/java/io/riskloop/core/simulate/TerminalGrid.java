package io.riskloop.core.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finds, for each customer, the terminals strictly closer than a radius, with a uniform grid of cell = radius. */
final class TerminalGrid {

    private TerminalGrid() {
    }

    static int[][] withinRadius(double[] cx, double[] cy, double[] tx, double[] ty, double radius) {
        int cells = Math.max(1, (int) Math.ceil(100.0 / radius));
        List<List<Integer>> grid = new ArrayList<>(cells * cells);
        for (int i = 0; i < cells * cells; i++) {
            grid.add(new ArrayList<>());
        }
        for (int t = 0; t < tx.length; t++) {
            grid.get(cell(ty[t], radius, cells) * cells + cell(tx[t], radius, cells)).add(t);
        }
        double r2 = radius * radius;
        int[][] out = new int[cx.length][];
        int[] buf = new int[tx.length];
        for (int c = 0; c < cx.length; c++) {
            int gx = cell(cx[c], radius, cells);
            int gy = cell(cy[c], radius, cells);
            int n = 0;
            for (int y = Math.max(0, gy - 1); y <= Math.min(cells - 1, gy + 1); y++) {
                for (int x = Math.max(0, gx - 1); x <= Math.min(cells - 1, gx + 1); x++) {
                    for (int t : grid.get(y * cells + x)) {
                        double dx = tx[t] - cx[c];
                        double dy = ty[t] - cy[c];
                        if (dx * dx + dy * dy < r2) {
                            buf[n++] = t;
                        }
                    }
                }
            }
            int[] terminals = Arrays.copyOf(buf, n);
            Arrays.sort(terminals); // terminal order must not depend on the grid
            out[c] = terminals;
        }
        return out;
    }

    private static int cell(double v, double radius, int cells) {
        return Math.min(cells - 1, (int) (v / radius));
    }
}
