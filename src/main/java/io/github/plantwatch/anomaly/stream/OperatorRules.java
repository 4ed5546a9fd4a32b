package io.github.plantwatch.anomaly.stream;

/**
 * What operators said that changes how records are judged: the assets' maintenance windows, and their feedback with
 * the margin around a feedback's envelope within which a record counts as the pattern the feedback declared normal.
 *
 * @param envelopeMargin in training standard deviations of each feature ({@code feedback.envelope-margin})
 */
public record OperatorRules(MaintenanceCalendar maintenance, FeedbackBook feedback, double envelopeMargin) {

    /** No maintenance window and no feedback: what the evaluation and the tests of the scoring alone use. */
    public static OperatorRules none() {
        return new OperatorRules(new MaintenanceCalendar(), new FeedbackBook(), 1.0);
    }
}
