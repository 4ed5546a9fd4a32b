package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.support.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The service's and this JVM's (the broker's) CPU time, sampled every {@value #PERIOD_MS} ms against the wall
 * clock, so the CPU spent between two broker append times (the first and the last result) can be read afterwards:
 * the service's start-up, before its first record, is not counted. The service's JIT compilers and collector are
 * also read on their own ({@link ThreadCpu}).
 */
final class CpuTimeline implements AutoCloseable {

    private static final long PERIOD_MS = 50;

    private record Sample(long millis, double serviceSeconds, double brokerSeconds, double jitSeconds,
                          double collectorSeconds) {
    }

    private final ServiceProcess service;
    private final ThreadCpu serviceThreads;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;

    private CpuTimeline(ServiceProcess service) {
        this.service = service;
        this.serviceThreads = new ThreadCpu(service.pid());
        this.sampler = Thread.ofPlatform().daemon().name("cpu-timeline").unstarted(this::run);
    }

    static CpuTimeline start(ServiceProcess service) {
        CpuTimeline timeline = new CpuTimeline(service);
        timeline.sample();
        timeline.sampler.start();
        return timeline;
    }

    /** CPU per message (us): the service's, of which its JIT compilers' and its collector's, and the broker's. */
    record PerMessage(double service, double jit, double collector, double broker) {
    }

    /** The CPU used between wall-clock times {@code from} and {@code to}, each read between the samples around it. */
    PerMessage perMessage(long from, long to, long messages) {
        return new PerMessage(micros(from, to, messages, Sample::serviceSeconds),
                micros(from, to, messages, Sample::jitSeconds), micros(from, to, messages, Sample::collectorSeconds),
                micros(from, to, messages, Sample::brokerSeconds));
    }

    private double micros(long from, long to, long messages, ToDoubleFunction<Sample> seconds) {
        return (at(to, seconds) - at(from, seconds)) / messages * 1e6;
    }

    /** The CPU seconds {@code seconds} reads at wall-clock time {@code millis}, linearly between samples. */
    private synchronized double at(long millis, ToDoubleFunction<Sample> seconds) {
        Sample before = samples.getFirst();
        if (millis < before.millis()) {
            throw new IllegalStateException("the first CPU sample was taken after " + millis);
        }
        for (Sample sample : samples) {
            if (sample.millis() >= millis) {
                double span = sample.millis() - before.millis();
                double share = span == 0 ? 1 : (millis - before.millis()) / span;
                double from = seconds.applyAsDouble(before);
                return from + share * (seconds.applyAsDouble(sample) - from);
            }
            before = sample;
        }
        throw new IllegalStateException("no CPU sample after " + millis + ": read the timeline before closing it");
    }

    private void run() {
        try {
            do {
                Thread.sleep(PERIOD_MS);
            } while (sample());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes a sample; false once the service's process has ended (the benchmark stops it before closing this). */
    private boolean sample() {
        try {
            double broker = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            Map<ThreadCpu.Kind, Double> threads = serviceThreads.seconds();
            Sample sample = new Sample(System.currentTimeMillis(), service.cpuSeconds(), broker,
                    threads.get(ThreadCpu.Kind.JIT), threads.get(ThreadCpu.Kind.COLLECTOR));
            synchronized (this) {
                samples.add(sample);
            }
            return true;
        } catch (NoSuchFileException serviceEnded) {
            return false;
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
