package io.riskloop.core.dataset;

/** What to do with a row that cannot be read. */
public enum BadRowPolicy {
    /** Stop at the first bad row with a message naming file, line, column and reason. */
    FAIL,
    /** Leave the row out, write it with its reason to a side file and count it. */
    SKIP
}
