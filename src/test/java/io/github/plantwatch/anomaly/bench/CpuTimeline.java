package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.support.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's and this JVM's (the broker's) CPU time, sampled every {@value #PERIOD_MS} ms against the wall
 * clock, so the CPU spent between two broker append times (the first and the last result) can be read afterwards:
 * the service's start-up, before its first record, is not counted.
 */
final class CpuTimeline implements AutoCloseable {

    private static final long PERIOD_MS = 50;

    private record Sample(long millis, double serviceSeconds, double brokerSeconds) {
    }

    private final ServiceProcess service;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;

    private CpuTimeline(ServiceProcess service) {
        this.service = service;
        this.sampler = Thread.ofPlatform().daemon().name("cpu-timeline").unstarted(this::run);
    }

    static CpuTimeline start(ServiceProcess service) {
        CpuTimeline timeline = new CpuTimeline(service);
        timeline.sample();
        timeline.sampler.start();
        return timeline;
    }

    /** The service's CPU seconds at wall-clock time {@code millis}, linearly between the samples around it. */
    double serviceSecondsAt(long millis) {
        return at(millis, true);
    }

    /** This JVM's (the broker's) CPU seconds at wall-clock time {@code millis}. */
    double brokerSecondsAt(long millis) {
        return at(millis, false);
    }

    private synchronized double at(long millis, boolean ofService) {
        Sample before = samples.getFirst();
        if (millis < before.millis()) {
            throw new IllegalStateException("the first CPU sample was taken after " + millis);
        }
        for (Sample sample : samples) {
            if (sample.millis() >= millis) {
                double span = sample.millis() - before.millis();
                double share = span == 0 ? 1 : (millis - before.millis()) / span;
                double from = ofService ? before.serviceSeconds() : before.brokerSeconds();
                double to = ofService ? sample.serviceSeconds() : sample.brokerSeconds();
                return from + share * (to - from);
            }
            before = sample;
        }
        throw new IllegalStateException("no CPU sample after " + millis + ": read the timeline before closing it");
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(PERIOD_MS);
                sample();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        try {
            double broker = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            Sample sample = new Sample(System.currentTimeMillis(), service.cpuSeconds(), broker);
            synchronized (this) {
                samples.add(sample);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
