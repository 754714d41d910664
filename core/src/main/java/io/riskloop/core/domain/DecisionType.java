package io.riskloop.core.domain;

/** What happens to a transaction. */
public enum DecisionType {
    /** Let it through. */
    APPROVE,
    /** Let it through, and ask an analyst to look. */
    REVIEW,
    /** Stop it. */
    DECLINE
}
