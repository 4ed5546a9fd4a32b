package io.github.plantwatch.anomaly.stream;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantTest {

    @Test
    void readsWhatInstantParseReadsToTheMillisecond() {
        Random random = new Random(11);
        DateTimeFormatter[] forms = {DateTimeFormatter.ISO_INSTANT, DateTimeFormatter.ISO_OFFSET_DATE_TIME};
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 50_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String text = forms[i % 2].format(i % 2 == 0 ? instant : instant.atOffset(offset));
            assertEquals(Instant.parse(text).toEpochMilli(), IsoInstant.epochMillis(text), text);
        }
    }

    @Test
    void leavesTheUnusualFormsToInstantParse() {
        for (String text : new String[]{"2026-01-01T23:59:60Z", "2026-01-01T10:00:00.1Z", "2026-01-01T10:00:00+01:00",
                "2026-01-01T10:00:00.123456789-05:30", "+12026-01-01T10:00:00Z", "1969-12-31T23:59:59.999Z",
                "0000-01-01T00:00:00Z"}) {
            assertEquals(Instant.parse(text).toEpochMilli(), IsoInstant.epochMillis(text), text);
        }
    }

    @Test
    void refusesWhatInstantParseRefuses() {
        for (String text : new String[]{"2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-01-01T24:00:01Z",
                "2026-01-01T10:60:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00.Z", "2026-01-01 10:00:00Z",
                "2026-01-01T10:00:00+19:00", "2026-01-01T1a:00:00Z", "2026-01-01T10:00:00.1234567890Z", "yesterday",
                "2026-01-01T10:00:00z"}) {
            boolean parsed = parses(text);
            if (parsed) {
                assertEquals(Instant.parse(text).toEpochMilli(), IsoInstant.epochMillis(text), text);
            } else {
                assertThrows(DateTimeException.class, () -> IsoInstant.epochMillis(text), text);
            }
        }
    }

    private static boolean parses(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
